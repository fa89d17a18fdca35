using SecureComms.Traversal.Stun.Attributes;

namespace SecureComms.Traversal.Stun;

/// <summary>
/// A STUN message (RFC 8489 §5): class, method, transaction ID and the attributes in wire order.
/// </summary>
/// <remarks>
/// <para><b>Building.</b> To send, build one with the attributes in order, ending with
/// <see cref="MessageIntegrityAttribute.Placeholder"/>, <see cref="MessageIntegritySha256Attribute.Placeholder"/>
/// and/or <see cref="FingerprintAttribute.Placeholder"/> as wanted, and give it to <see cref="StunWriter"/>, which
/// computes them.</para>
/// <para><b>Received.</b> A message from <see cref="StunReader"/> keeps a copy of the bytes it came from, so its
/// MESSAGE-INTEGRITY(-SHA256) can be checked against a key (<see cref="VerifyMessageIntegrity"/>): until then, every
/// attribute in it is unauthenticated. Its FINGERPRINT was checked by the reader.</para>
/// <para><b>Equality</b> is class, method, transaction ID and the attributes in order (by value); the received
/// bytes (padding included) are not part of it, nor is the FINGERPRINT's value (only its presence and place): it
/// is a checksum of those bytes, not content, and the reader has checked it.</para>
/// </remarks>
public sealed class StunMessage : IEquatable<StunMessage>
{
    private readonly StunAttribute[] _attributes;
    private readonly byte[]? _received;
    private readonly int _integrityOffset = -1;
    private readonly int _integritySha256Offset = -1;

    /// <summary>A message to send (or compare).</summary>
    /// <exception cref="ArgumentException">A method over 12 bits, an undefined class, a null attribute.</exception>
    public StunMessage(StunClass messageClass, StunMethod method, TransactionId transactionId, IEnumerable<StunAttribute> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        StunMessageType.Encode(method, messageClass); // checks both
        Class = messageClass;
        Method = method;
        TransactionId = transactionId;
        _attributes = [.. attributes];
        if (_attributes.Any(a => a is null))
        {
            throw new ArgumentException("An attribute is null.", nameof(attributes));
        }
    }

    /// <summary>A message read from <paramref name="received"/> (kept, for the integrity checks).</summary>
    internal StunMessage(StunClass messageClass, StunMethod method, TransactionId transactionId, StunAttribute[] attributes,
        byte[] received, int integrityOffset, int integritySha256Offset)
    {
        Class = messageClass;
        Method = method;
        TransactionId = transactionId;
        _attributes = attributes;
        _received = received;
        _integrityOffset = integrityOffset;
        _integritySha256Offset = integritySha256Offset;
    }

    /// <summary>Request, indication, success or error response.</summary>
    public StunClass Class { get; }

    /// <summary>The method (Binding for RFC 8489).</summary>
    public StunMethod Method { get; }

    /// <summary>The 96-bit transaction ID.</summary>
    public TransactionId TransactionId { get; }

    /// <summary>The attributes, in wire order (duplicates kept: §14 says only the first need be processed).</summary>
    public IReadOnlyList<StunAttribute> Attributes => _attributes;

    /// <summary>Whether this message came from <see cref="StunReader"/>.</summary>
    public bool IsReceived => _received is not null;

    /// <summary>The first attribute of type <typeparamref name="T"/>, or null.</summary>
    public T? Get<T>() where T : StunAttribute => _attributes.OfType<T>().FirstOrDefault();

    /// <summary>
    /// The types of the comprehension-required attributes SecureComms does not understand (RawAttribute below
    /// 0x8000), in order, without repeats: what a server lists in a 420 response's UNKNOWN-ATTRIBUTES (§6.3.1.1).
    /// </summary>
    public IReadOnlyList<ushort> UnknownComprehensionRequired =>
        [.. _attributes.OfType<RawAttribute>().Where(a => a.IsComprehensionRequired).Select(a => a.Type).Distinct()];

    /// <summary>Checks MESSAGE-INTEGRITY (HMAC-SHA1, §14.5) of a received message under <paramref name="key"/>, in fixed time.</summary>
    public IntegrityCheck VerifyMessageIntegrity(StunKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_received is null || _integrityOffset < 0)
        {
            return IntegrityCheck.Absent;
        }
        return StunIntegrity.VerifyMessageIntegrity(_received, _integrityOffset, key) ? IntegrityCheck.Valid : IntegrityCheck.Invalid;
    }

    /// <summary>
    /// Checks MESSAGE-INTEGRITY-SHA256 (§14.6) of a received message under <paramref name="key"/>, in fixed time,
    /// accepting a value truncated to no fewer than <paramref name="minLength"/> bytes (default: the full 32; §14.6
    /// allows truncation only where the STUN usage says so).
    /// </summary>
    public IntegrityCheck VerifyMessageIntegritySha256(StunKey key, int minLength = MessageIntegritySha256Attribute.MaxValueSizeInBytes)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(minLength, MessageIntegritySha256Attribute.MinValueSizeInBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minLength, MessageIntegritySha256Attribute.MaxValueSizeInBytes);
        if (_received is null || _integritySha256Offset < 0 || Get<MessageIntegritySha256Attribute>() is not { } attribute)
        {
            return IntegrityCheck.Absent;
        }
        if (attribute.ValueLength < minLength)
        {
            return IntegrityCheck.TooShort;
        }
        return StunIntegrity.VerifyMessageIntegritySha256(_received, _integritySha256Offset, attribute.ValueLength, key)
            ? IntegrityCheck.Valid
            : IntegrityCheck.Invalid;
    }

    /// <summary>
    /// §9.1.4 / §9.2.4 for a receiver: checks MESSAGE-INTEGRITY-SHA256 when present (full length), else
    /// MESSAGE-INTEGRITY; <see cref="IntegrityCheck.Absent"/> when the message has neither.
    /// </summary>
    public IntegrityCheck VerifyIntegrity(StunKey key) =>
        _integritySha256Offset >= 0 ? VerifyMessageIntegritySha256(key) : VerifyMessageIntegrity(key);

    /// <inheritdoc/>
    public bool Equals(StunMessage? other) =>
        other is not null
        && other.Class == Class
        && other.Method == Method
        && other.TransactionId == TransactionId
        && other._attributes.Length == _attributes.Length
        && other._attributes.Zip(_attributes).All(p => p.First is FingerprintAttribute
            ? p.Second is FingerprintAttribute
            : p.First.Equals(p.Second));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as StunMessage);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Class, Method, TransactionId, _attributes.Length);

    /// <summary>Class, method, transaction ID and attribute list (attributes show no secrets).</summary>
    public override string ToString() =>
        $"STUN {Method} {Class} {TransactionId} [{string.Join(", ", _attributes.Select(a => a.ToString()))}]";
}
