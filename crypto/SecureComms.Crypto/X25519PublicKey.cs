namespace SecureComms.Crypto;

/// <summary>
/// An X25519 public key: the 32-byte little-endian u-coordinate of RFC 7748 §5.
/// </summary>
/// <remarks>
/// Any 32 bytes are accepted, as RFC 7748 §5 requires (the top bit is masked by the function; non-canonical
/// values and points on the twist are processed). Small-order keys are not rejected here: they are caught
/// where it matters, as a <see cref="AgreementResult.NonContributory"/> agreement.
/// </remarks>
public sealed class X25519PublicKey : IEquatable<X25519PublicKey>
{
    /// <summary>Public key size: 256 bits.</summary>
    public const int SizeInBytes = 256 / 8;

    private readonly byte[] _bytes;
    private byte[]? _edwardsY;

    private X25519PublicKey(ReadOnlySpan<byte> bytes) => _bytes = bytes.ToArray();

    /// <summary>The encoded key.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>
    /// XEdDSA §2.2 convert_mont(u): the Edwards y with sign bit 0, or empty when u ≥ p. Computed on first use
    /// and kept (public data; a race computes the same value twice).
    /// </summary>
    internal ReadOnlySpan<byte> EdwardsY => _edwardsY ??= XEdDsa.ConvertMont(_bytes);

    /// <summary>
    /// Whether u is a canonical field element, u &lt; p = 2²⁵⁵ − 19 (so bit 255 is clear). Every key computed
    /// by X25519 is; a protocol that identifies keys by their bytes must refuse the others, since u, u + p
    /// and u with bit 255 set agree identically (RFC 7748 §5).
    /// </summary>
    public bool IsCanonical
    {
        get
        {
            const int last = SizeInBytes - 1;
            if (_bytes[last] != 0x7F)
            {
                return _bytes[last] < 0x80; // public data: with any other top byte, canonical iff bit 255 is clear
            }
            for (int i = last - 1; i > 0; i--)
            {
                if (_bytes[i] != 0xFF)
                {
                    return true;
                }
            }
            return _bytes[0] < 0xED; // p = 2²⁵⁵ − 19 ends (little-endian) in ED FF … FF 7F
        }
    }

    /// <summary>Decodes a key; false when <paramref name="encoded"/> is not exactly 32 bytes.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, out X25519PublicKey? key)
    {
        key = encoded.Length == SizeInBytes ? new X25519PublicKey(encoded) : null;
        return key is not null;
    }

    /// <summary>Decodes a key that the caller has already checked.</summary>
    /// <exception cref="ArgumentException"><paramref name="encoded"/> is not 32 bytes.</exception>
    public static X25519PublicKey Decode(ReadOnlySpan<byte> encoded) =>
        TryDecode(encoded, out var key)
            ? key!
            : throw new ArgumentException($"X25519 public key must be {SizeInBytes} bytes.", nameof(encoded));

    /// <inheritdoc/>
    public bool Equals(X25519PublicKey? other) => other is not null && FixedTime.Equals(_bytes, other._bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as X25519PublicKey);

    /// <inheritdoc/>
    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);

    /// <summary>Hex of the key (public data).</summary>
    public override string ToString() => $"X25519PublicKey({Convert.ToHexStringLower(_bytes)})";
}
