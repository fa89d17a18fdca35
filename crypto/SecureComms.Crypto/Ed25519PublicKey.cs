namespace SecureComms.Crypto;

/// <summary>An Ed25519 public key: the 32-byte compressed Edwards point A of RFC 8032 §5.1.5.</summary>
/// <remarks>
/// Decoding checks only the length; the point itself is validated at verification (libsodium rejects
/// non-canonical and small-order encodings there), so a bad key is a failed verification, not an exception.
/// </remarks>
public sealed class Ed25519PublicKey : IEquatable<Ed25519PublicKey>
{
    /// <summary>Public key size: 256 bits.</summary>
    public const int SizeInBytes = 256 / 8;

    private readonly byte[] _bytes;

    private Ed25519PublicKey(ReadOnlySpan<byte> bytes) => _bytes = bytes.ToArray();

    /// <summary>The encoded point.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Decodes a key; false when <paramref name="encoded"/> is not exactly 32 bytes.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, out Ed25519PublicKey? key)
    {
        key = encoded.Length == SizeInBytes ? new Ed25519PublicKey(encoded) : null;
        return key is not null;
    }

    /// <summary>Decodes a key that the caller has already checked.</summary>
    /// <exception cref="ArgumentException"><paramref name="encoded"/> is not 32 bytes.</exception>
    public static Ed25519PublicKey Decode(ReadOnlySpan<byte> encoded) =>
        TryDecode(encoded, out var key)
            ? key!
            : throw new ArgumentException($"Ed25519 public key must be {SizeInBytes} bytes.", nameof(encoded));

    /// <inheritdoc/>
    public bool Equals(Ed25519PublicKey? other) => other is not null && FixedTime.Equals(_bytes, other._bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Ed25519PublicKey);

    /// <inheritdoc/>
    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);

    /// <summary>Hex of the key (public data).</summary>
    public override string ToString() => $"Ed25519PublicKey({Convert.ToHexStringLower(_bytes)})";
}
