using System.Security.Cryptography;
using Google.Protobuf;
using SecureComms.Crypto;
using SecureComms.Signal.Wire;

namespace SecureComms.Signal.Stores;

/// <summary>Private keys in stored records: exported to, and imported from, their protobuf form.</summary>
internal static class StoredKeys
{
    /// <summary>Exports an (exportable) private key into a ByteString, wiping the temporary.</summary>
    public static ByteString ExportPrivate(X25519PrivateKey key)
    {
        byte[] exported = new byte[X25519PrivateKey.SizeInBytes];
        try
        {
            key.Export(exported);
            return ByteString.CopyFrom(exported);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(exported);
        }
    }

    /// <summary>Imports a stored private key (exportable again) and checks it against its stored public key.</summary>
    /// <exception cref="SignalProtocolException">InvalidRecord.</exception>
    public static X25519PrivateKey ImportPrivate(ByteString privateKey, ByteString publicKey)
    {
        if (privateKey.Length != X25519PrivateKey.SizeInBytes)
        {
            throw new SignalProtocolException(SignalError.InvalidRecord, "A stored private key is not 32 bytes.");
        }
        X25519PrivateKey key = X25519PrivateKey.Import(privateKey.Span, exportable: true);
        if (!publicKey.Span.SequenceEqual(PublicKeyEncoding.Serialize(key.PublicKey))) // public data
        {
            key.Dispose();
            throw new SignalProtocolException(SignalError.InvalidRecord, "A stored key pair does not match.");
        }
        return key;
    }
}
