using Google.Protobuf;
using SecureComms.Crypto;
using SecureComms.Signal.Wire;

namespace SecureComms.Signal.Stores;

/// <summary>
/// A signed prekey (SPK, X3DH §2.5): a medium-term key with its XEdDSA signature by the identity key.
/// Disposing it wipes the private key.
/// </summary>
public sealed class SignedPreKeyRecord : IDisposable
{
    /// <summary>Wraps an exportable private key and its signature.</summary>
    public SignedPreKeyRecord(uint id, X25519PrivateKey privateKey, byte[] signature, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        ArgumentNullException.ThrowIfNull(signature);
        Id = id;
        PrivateKey = privateKey;
        Signature = signature;
        Timestamp = timestamp;
    }

    /// <summary>The id bundles and PreKeySignalMessages name it by.</summary>
    public uint Id { get; }

    /// <summary>The private key.</summary>
    public X25519PrivateKey PrivateKey { get; }

    /// <summary>The public key.</summary>
    public X25519PublicKey PublicKey => PrivateKey.PublicKey;

    /// <summary>XEdDSA(identity, 0x05 ‖ public key).</summary>
    public byte[] Signature { get; }

    /// <summary>When it was made (for rotation).</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>A fresh signed prekey, signed by <paramref name="identity"/>.</summary>
    public static SignedPreKeyRecord Generate(uint id, IdentityKeyPair identity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(identity);
        X25519PrivateKey key = X25519PrivateKey.Generate(exportable: true);
        return new SignedPreKeyRecord(id, key, identity.Sign(PublicKeyEncoding.Serialize(key.PublicKey)), now);
    }

    /// <summary>Parses the stored form.</summary>
    /// <exception cref="SignalProtocolException">InvalidRecord.</exception>
    public static SignedPreKeyRecord Deserialize(ReadOnlySpan<byte> serialized)
    {
        Proto.SignedPreKeyRecordStructure s = ProtobufParse.Parse(Proto.SignedPreKeyRecordStructure.Parser, serialized, "A signed prekey record", SignalError.InvalidRecord);
        if (s.Signature.Length != XEdDsa.SignatureSizeInBytes)
        {
            throw new SignalProtocolException(SignalError.InvalidRecord, "A stored signed prekey has no valid signature.");
        }
        if (s.TimestampUnixMs < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || s.TimestampUnixMs > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            // Found by the session-record fuzz target: FromUnixTimeMilliseconds throws ArgumentOutOfRangeException.
            throw new SignalProtocolException(SignalError.InvalidRecord, "A stored signed prekey's timestamp is out of range.", s.TimestampUnixMs);
        }
        return new SignedPreKeyRecord(s.Id, StoredKeys.ImportPrivate(s.PrivateKey, s.PublicKey), s.Signature.ToByteArray(), DateTimeOffset.FromUnixTimeMilliseconds(s.TimestampUnixMs));
    }

    /// <summary>The stored form (contains the private key).</summary>
    public byte[] Serialize() => new Proto.SignedPreKeyRecordStructure
    {
        Id = Id,
        PublicKey = ByteString.CopyFrom(PublicKeyEncoding.Serialize(PublicKey)),
        PrivateKey = StoredKeys.ExportPrivate(PrivateKey),
        Signature = ByteString.CopyFrom(Signature),
        TimestampUnixMs = Timestamp.ToUnixTimeMilliseconds(),
    }.ToByteArray();

    /// <inheritdoc/>
    public void Dispose() => PrivateKey.Dispose();
}
