namespace SecureComms.Traversal.Stun.Attributes;

/// <summary>
/// From a type code and value bytes to an attribute object: the typed attribute for the types SecureComms
/// understands, a <see cref="RawAttribute"/> for every other type. Total: a malformed value of a known type is
/// <c>null</c>, never an exception.
/// </summary>
internal static class StunAttributeCodec
{
    /// <summary>The attribute, or null when <paramref name="value"/> is malformed for <paramref name="type"/>.</summary>
    public static StunAttribute? TryDecode(ushort type, ReadOnlySpan<byte> value, TransactionId transactionId) =>
        (StunAttributeType)type switch
        {
            StunAttributeType.MappedAddress => MappedAddressAttribute.TryDecode(value, transactionId),
            StunAttributeType.XorMappedAddress => XorMappedAddressAttribute.TryDecode(value, transactionId),
            StunAttributeType.AlternateServer => AlternateServerAttribute.TryDecode(value, transactionId),
            StunAttributeType.Username => UsernameAttribute.TryDecode(value),
            StunAttributeType.Realm => RealmAttribute.TryDecode(value),
            StunAttributeType.Nonce => NonceAttribute.TryDecode(value),
            StunAttributeType.Software => SoftwareAttribute.TryDecode(value),
            StunAttributeType.UserHash => UserHashAttribute.TryDecode(value),
            StunAttributeType.MessageIntegrity => MessageIntegrityAttribute.TryDecode(value),
            StunAttributeType.MessageIntegritySha256 => MessageIntegritySha256Attribute.TryDecode(value),
            StunAttributeType.Fingerprint => FingerprintAttribute.TryDecode(value),
            StunAttributeType.ErrorCode => ErrorCodeAttribute.TryDecode(value),
            StunAttributeType.UnknownAttributes => UnknownAttributesAttribute.TryDecode(value),
            StunAttributeType.PasswordAlgorithm => PasswordAlgorithmAttribute.TryDecode(value),
            StunAttributeType.PasswordAlgorithms => PasswordAlgorithmsAttribute.TryDecode(value),
            _ => new RawAttribute(type, value),
        };
}
