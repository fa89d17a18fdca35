using SecureComms.Crypto;

namespace SecureComms.Signal;

/// <summary>
/// A party's long-term identity: an X25519 key pair whose private half also signs (XEdDSA). Disposing it
/// wipes the private key.
/// </summary>
public sealed class IdentityKeyPair : IDisposable
{
    /// <summary>Wraps an exportable private key (stores persist it).</summary>
    public IdentityKeyPair(X25519PrivateKey privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        PrivateKey = privateKey;
        PublicKey = new IdentityKey(privateKey.PublicKey);
    }

    /// <summary>The public identity key.</summary>
    public IdentityKey PublicKey { get; }

    /// <summary>The private key (agreement and XEdDSA signing).</summary>
    public X25519PrivateKey PrivateKey { get; }

    /// <summary>A fresh identity, exportable so that a store can persist it.</summary>
    public static IdentityKeyPair Generate() => new(X25519PrivateKey.Generate(exportable: true));

    /// <summary>XEdDSA signature of <paramref name="message"/> (64 bytes).</summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        byte[] signature = new byte[XEdDsa.SignatureSizeInBytes];
        XEdDsa.Sign(PrivateKey, message, signature);
        return signature;
    }

    /// <inheritdoc/>
    public void Dispose() => PrivateKey.Dispose();

    /// <summary>The public key only.</summary>
    public override string ToString() => $"IdentityKeyPair({PublicKey})";
}
