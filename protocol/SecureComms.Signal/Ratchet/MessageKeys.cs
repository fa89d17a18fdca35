using Google.Protobuf;

namespace SecureComms.Signal.Ratchet;

/// <summary>The keys of one message: AES-256-CBC key, HMAC-SHA256 key and IV, and the message's index.</summary>
internal sealed class MessageKeys
{
    /// <summary>32 + 32 + 16 bytes.</summary>
    public const int SizeInBytes = 80;

    /// <summary>Splits the 80-byte HKDF output.</summary>
    public MessageKeys(uint index, ReadOnlySpan<byte> keyMaterial)
    {
        Index = index;
        CipherKey = keyMaterial[..32].ToArray();
        MacKey = keyMaterial[32..64].ToArray();
        Iv = keyMaterial[64..SizeInBytes].ToArray();
    }

    private MessageKeys(Proto.MessageKeys stored)
    {
        Index = stored.Index;
        CipherKey = stored.CipherKey.ToByteArray();
        MacKey = stored.MacKey.ToByteArray();
        Iv = stored.Iv.ToByteArray();
    }

    /// <summary>The message's counter.</summary>
    public uint Index { get; }

    /// <summary>AES-256-CBC key.</summary>
    public byte[] CipherKey { get; }

    /// <summary>HMAC-SHA256 key.</summary>
    public byte[] MacKey { get; }

    /// <summary>CBC IV.</summary>
    public byte[] Iv { get; }

    /// <summary>Reads skipped keys from a record.</summary>
    public static MessageKeys FromStored(Proto.MessageKeys stored) => new(stored);

    /// <summary>For a record.</summary>
    public Proto.MessageKeys ToStored() => new()
    {
        Index = Index,
        CipherKey = ByteString.CopyFrom(CipherKey),
        MacKey = ByteString.CopyFrom(MacKey),
        Iv = ByteString.CopyFrom(Iv),
    };
}
