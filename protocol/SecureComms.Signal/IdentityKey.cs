using SecureComms.Crypto;

namespace SecureComms.Signal;

/// <summary>
/// A Signal identity (or any Curve25519) public key in libsignal's serialization: the key type byte
/// <see cref="DjbType"/> = 0x05 followed by the 32-byte X25519 u-coordinate.
/// </summary>
/// <remarks>
/// References: libsignal <c>rust/core/src/curve.rs</c> (<c>KeyType::Djb</c>); X3DH §2.5 (Encode(PK)).
/// Deserialization is total: a wrong length or type byte, or a non-canonical u, is a false return.
/// </remarks>
public sealed class IdentityKey : IEquatable<IdentityKey>
{
    /// <summary>libsignal's type byte for Curve25519 ("DJB") keys.</summary>
    public const byte DjbType = 0x05;

    /// <summary>Serialized size: 1 + 32 bytes.</summary>
    public const int SerializedSizeInBytes = 1 + X25519PublicKey.SizeInBytes;

    /// <summary>Wraps an X25519 public key.</summary>
    public IdentityKey(X25519PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        PublicKey = publicKey;
    }

    /// <summary>The X25519 key.</summary>
    public X25519PublicKey PublicKey { get; }

    /// <summary>0x05 ‖ u.</summary>
    public byte[] Serialize() => [DjbType, .. PublicKey.Bytes];

    /// <summary>
    /// Parses 0x05 ‖ u; false for any other length or type byte, and for a non-canonical u (u ≥ p, or bit 255
    /// set): such a key agrees exactly like its canonical twin, so accepting it would let one key pass for
    /// two (a replayed first message under a "new" base key).
    /// </summary>
    public static bool TryDeserialize(ReadOnlySpan<byte> serialized, out IdentityKey? key)
    {
        key = serialized.Length == SerializedSizeInBytes && serialized[0] == DjbType
            && X25519PublicKey.Decode(serialized[1..]) is { IsCanonical: true } publicKey
            ? new IdentityKey(publicKey)
            : null;
        return key is not null;
    }

    /// <inheritdoc/>
    public bool Equals(IdentityKey? other) => other is not null && PublicKey.Equals(other.PublicKey);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as IdentityKey);

    /// <inheritdoc/>
    public override int GetHashCode() => PublicKey.GetHashCode();

    /// <summary>Hex of the serialized key (public data).</summary>
    public override string ToString() => $"IdentityKey({Convert.ToHexStringLower(Serialize())})";
}
