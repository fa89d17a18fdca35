using System.Diagnostics;
using NSec.Cryptography;

namespace SecureComms.Crypto;

/// <summary>
/// An Ed25519 signing key (RFC 8032 §5.1.5: the 32-byte seed), held in an NSec <see cref="Key"/>.
/// </summary>
/// <remarks>
/// NSec keeps the key in libsodium guarded memory that is wiped when this object is disposed, and refuses
/// to export it unless the key was created exportable. <see cref="ToString"/> shows the algorithm only.
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class Ed25519PrivateKey : IDisposable
{
    /// <summary>Seed size: 256 bits.</summary>
    public const int SeedSizeInBytes = 256 / 8;

    private readonly Key _key;

    private Ed25519PrivateKey(Key key)
    {
        _key = key;
        PublicKey = Ed25519PublicKey.Decode(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>The matching public key.</summary>
    public Ed25519PublicKey PublicKey { get; }

    /// <summary>Whether the key has been wiped.</summary>
    public bool IsDisposed { get; private set; }

    internal Key NSecKey
    {
        get
        {
            // Stryker disable once all : equivalent; NSec's Key throws ObjectDisposedException too, this names Ed25519PrivateKey.
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return _key;
        }
    }

    /// <summary>A fresh key from libsodium's CSPRNG.</summary>
    public static Ed25519PrivateKey Generate(bool exportable = false) =>
        new(Key.Create(SignatureAlgorithm.Ed25519, Parameters(exportable)));

    /// <summary>Imports a 32-byte seed (RFC 8032 private key).</summary>
    public static Ed25519PrivateKey Import(ReadOnlySpan<byte> seed, bool exportable = false)
    {
        if (seed.Length != SeedSizeInBytes)
        {
            throw new ArgumentException($"Ed25519 seed must be {SeedSizeInBytes} bytes.", nameof(seed));
        }
        return new(Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, Parameters(exportable)));
    }

    /// <summary>Copies the seed into <paramref name="destination"/>; the caller must wipe it.</summary>
    /// <exception cref="InvalidOperationException">The key was not created exportable.</exception>
    public void Export(Span<byte> destination)
    {
        if (destination.Length != SeedSizeInBytes)
        {
            throw new ArgumentException($"Destination must be {SeedSizeInBytes} bytes.", nameof(destination));
        }
        if (!NSecKey.ExportPolicy.HasFlag(KeyExportPolicies.AllowPlaintextExport))
        {
            throw new InvalidOperationException("Ed25519PrivateKey was not created exportable.");
        }
        // Stryker disable once all : unreachable; NSec exports an exportable key into a buffer of the right size.
        if (!_key.TryExport(KeyBlobFormat.RawPrivateKey, destination, out _))
        {
            throw new InvalidOperationException("Export failed.");
        }
    }

    /// <summary>Shows the algorithm only.</summary>
    public override string ToString() => $"Ed25519PrivateKey({SeedSizeInBytes} bytes)";

    /// <summary>Wipes the key. Idempotent.</summary>
    public void Dispose()
    {
        _key.Dispose();
        IsDisposed = true;
    }

    private static KeyCreationParameters Parameters(bool exportable) => new()
    {
        ExportPolicy = exportable ? KeyExportPolicies.AllowPlaintextExport : KeyExportPolicies.None,
    };
}
