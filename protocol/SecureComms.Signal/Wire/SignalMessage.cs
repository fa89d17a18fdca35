using System.Security.Cryptography;
using Google.Protobuf;
using SecureComms.Crypto;

namespace SecureComms.Signal.Wire;

/// <summary>
/// A Double Ratchet message on the wire (libsignal <c>SignalMessage</c>, classic v3):
/// version byte ‖ protobuf{ratchet_key, counter, previous_counter, ciphertext} ‖ MAC.
/// </summary>
/// <remarks>
/// <para><b>MAC.</b> The first <see cref="MacSizeInBytes"/> bytes of HMAC-SHA256(macKey, sender identity
/// (33) ‖ receiver identity (33) ‖ version byte ‖ protobuf), the identities being X3DH's associated data
/// (X3DH §3.3). The version byte is MACed exactly as received.</para>
/// <para><b>Parsing</b> is total: every malformed input is a <see cref="SignalProtocolException"/>, and
/// nothing larger than <see cref="MaxSizeInBytes"/> is parsed.</para>
/// </remarks>
public sealed class SignalMessage
{
    /// <summary>Truncated MAC length.</summary>
    public const int MacSizeInBytes = 8;

    /// <summary>Largest message accepted: 1 MiB.</summary>
    public const int MaxSizeInBytes = 1 << 20;

    private SignalMessage(byte[] serialized, X25519PublicKey ratchetKey, uint counter, uint previousCounter, byte[] ciphertext)
    {
        Serialized = serialized;
        RatchetKey = ratchetKey;
        Counter = counter;
        PreviousCounter = previousCounter;
        Ciphertext = ciphertext;
    }

    /// <summary>The wire bytes.</summary>
    public byte[] Serialized { get; }

    /// <summary>The sender's current ratchet public key.</summary>
    public X25519PublicKey RatchetKey { get; }

    /// <summary>The message's index in its sending chain (N).</summary>
    public uint Counter { get; }

    /// <summary>The length of the sender's previous sending chain (PN).</summary>
    public uint PreviousCounter { get; }

    /// <summary>AES-256-CBC ciphertext of the plaintext.</summary>
    public byte[] Ciphertext { get; }

    /// <summary>Parses a SignalMessage (version byte first, MAC last).</summary>
    /// <exception cref="SignalProtocolException">The input is not a v3 SignalMessage.</exception>
    public static SignalMessage Parse(ReadOnlySpan<byte> serialized)
    {
        if (serialized.Length < 1 + MacSizeInBytes)
        {
            throw new SignalProtocolException(SignalError.InvalidMessage, $"A SignalMessage has at least {1 + MacSizeInBytes} bytes.", serialized.Length, 1 + MacSizeInBytes);
        }
        if (serialized.Length > MaxSizeInBytes)
        {
            throw new SignalProtocolException(SignalError.InvalidMessage, $"A SignalMessage has at most {MaxSizeInBytes} bytes.", serialized.Length, MaxSizeInBytes);
        }
        MessageVersion.Check(serialized[0]);
        Proto.SignalMessage body = ProtobufParse.Parse(Proto.SignalMessage.Parser, serialized[1..^MacSizeInBytes], "SignalMessage");
        if (!body.HasRatchetKey || !body.HasCounter || !body.HasCiphertext)
        {
            throw new SignalProtocolException(SignalError.InvalidMessage, "SignalMessage lacks its ratchet key, counter or ciphertext.");
        }
        X25519PublicKey ratchetKey = PublicKeyEncoding.Decode(body.RatchetKey.Span, "The ratchet key");
        return new SignalMessage(serialized.ToArray(), ratchetKey, body.Counter, body.PreviousCounter, body.Ciphertext.ToByteArray());
    }

    /// <summary>Serializes and MACs a message (version byte 0x33).</summary>
    internal static SignalMessage Create(
        ReadOnlySpan<byte> macKey,
        X25519PublicKey ratchetKey,
        uint counter,
        uint previousCounter,
        byte[] ciphertext,
        IdentityKey sender,
        IdentityKey receiver)
    {
        var body = new Proto.SignalMessage
        {
            RatchetKey = ByteString.CopyFrom(PublicKeyEncoding.Serialize(ratchetKey)),
            Counter = counter,
            PreviousCounter = previousCounter,
            Ciphertext = ByteString.CopyFrom(ciphertext),
        };
        int bodySize = body.CalculateSize();
        byte[] serialized = new byte[1 + bodySize + MacSizeInBytes];
        serialized[0] = MessageVersion.EmittedByte;
        body.WriteTo(serialized.AsSpan(1, bodySize));
        ComputeMac(macKey, sender, receiver, serialized.AsSpan(0, 1 + bodySize), serialized.AsSpan(1 + bodySize));
        return new SignalMessage(serialized, ratchetKey, counter, previousCounter, ciphertext);
    }

    /// <summary>Checks the MAC in fixed time, with the sender's and receiver's identities as associated data.</summary>
    internal bool VerifyMac(ReadOnlySpan<byte> macKey, IdentityKey sender, IdentityKey receiver)
    {
        Span<byte> expected = stackalloc byte[MacSizeInBytes];
        ComputeMac(macKey, sender, receiver, Serialized.AsSpan(0, Serialized.Length - MacSizeInBytes), expected);
        return FixedTime.Equals(expected, Serialized.AsSpan(Serialized.Length - MacSizeInBytes));
    }

    private static void ComputeMac(ReadOnlySpan<byte> macKey, IdentityKey sender, IdentityKey receiver, ReadOnlySpan<byte> versionAndBody, Span<byte> mac)
    {
        using IncrementalHash hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, macKey);
        Span<byte> identity = stackalloc byte[IdentityKey.SerializedSizeInBytes];
        sender.Serialize().CopyTo(identity);
        hmac.AppendData(identity);
        receiver.Serialize().CopyTo(identity);
        hmac.AppendData(identity);
        hmac.AppendData(versionAndBody);
        Span<byte> full = stackalloc byte[HmacSha256.MacSizeInBytes];
        hmac.GetHashAndReset(full);
        full[..MacSizeInBytes].CopyTo(mac);
    }
}
