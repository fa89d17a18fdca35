using Google.Protobuf;
using SecureComms.Crypto;
using SecureComms.Signal.Wire;

namespace SecureComms.Signal.Stores;

/// <summary>A one-time prekey (OPK, X3DH §2.5) with its id. Disposing it wipes the private key.</summary>
public sealed class PreKeyRecord : IDisposable
{
    /// <summary>Wraps an exportable private key.</summary>
    public PreKeyRecord(uint id, X25519PrivateKey privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        Id = id;
        PrivateKey = privateKey;
    }

    /// <summary>The id a bundle and a PreKeySignalMessage name it by.</summary>
    public uint Id { get; }

    /// <summary>The private key.</summary>
    public X25519PrivateKey PrivateKey { get; }

    /// <summary>The public key.</summary>
    public X25519PublicKey PublicKey => PrivateKey.PublicKey;

    /// <summary>A fresh one-time prekey.</summary>
    public static PreKeyRecord Generate(uint id) => new(id, X25519PrivateKey.Generate(exportable: true));

    /// <summary>Parses the stored form.</summary>
    /// <exception cref="SignalProtocolException">InvalidRecord.</exception>
    public static PreKeyRecord Deserialize(ReadOnlySpan<byte> serialized)
    {
        Proto.PreKeyRecordStructure s = ProtobufParse.Parse(Proto.PreKeyRecordStructure.Parser, serialized, "A prekey record", SignalError.InvalidRecord);
        return new PreKeyRecord(s.Id, StoredKeys.ImportPrivate(s.PrivateKey, s.PublicKey));
    }

    /// <summary>The stored form (contains the private key).</summary>
    public byte[] Serialize() => new Proto.PreKeyRecordStructure
    {
        Id = Id,
        PublicKey = ByteString.CopyFrom(PublicKeyEncoding.Serialize(PublicKey)),
        PrivateKey = StoredKeys.ExportPrivate(PrivateKey),
    }.ToByteArray();

    /// <inheritdoc/>
    public void Dispose() => PrivateKey.Dispose();
}
