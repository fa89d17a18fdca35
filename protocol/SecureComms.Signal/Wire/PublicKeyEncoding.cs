using SecureComms.Crypto;

namespace SecureComms.Signal.Wire;

/// <summary>Curve25519 public keys as libsignal serializes them on the wire: 0x05 ‖ u (33 bytes).</summary>
internal static class PublicKeyEncoding
{
    /// <summary>0x05 ‖ u.</summary>
    public static byte[] Serialize(X25519PublicKey key) => [IdentityKey.DjbType, .. key.Bytes];

    /// <summary>Parses 0x05 ‖ u.</summary>
    /// <exception cref="SignalProtocolException">InvalidKey for any other length or type byte.</exception>
    public static X25519PublicKey Decode(ReadOnlySpan<byte> serialized, string what) =>
        IdentityKey.TryDeserialize(serialized, out IdentityKey? key)
            ? key!.PublicKey
            : throw new SignalProtocolException(SignalError.InvalidKey, $"{what} is not a 33-byte key with type byte 0x05.");

    /// <summary>Parses an identity key.</summary>
    public static IdentityKey DecodeIdentity(ReadOnlySpan<byte> serialized, string what) => new(Decode(serialized, what));
}
