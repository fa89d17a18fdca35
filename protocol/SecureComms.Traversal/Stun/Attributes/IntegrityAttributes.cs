using System.Buffers.Binary;
using SecureComms.Crypto;

namespace SecureComms.Traversal.Stun.Attributes;

/// <summary>
/// MESSAGE-INTEGRITY (0x0008, RFC 8489 §14.5): HMAC-SHA1 of the message up to this attribute, with the header
/// length pointing at its end. 20 bytes.
/// </summary>
/// <remarks>
/// A message to send carries <see cref="Placeholder"/>; <see cref="StunWriter"/> computes the value when it is
/// given a key. A parsed message carries the received value, checked by
/// <see cref="StunMessage.VerifyMessageIntegrity"/> (fixed time). The value is a MAC, not a secret, but it is
/// not shown by <see cref="StunAttribute.ToString"/> either.
/// </remarks>
public sealed class MessageIntegrityAttribute : StunAttribute
{
    /// <summary>Value size: the full HMAC-SHA1, 20 bytes.</summary>
    public const int ValueSizeInBytes = HmacSha1.MacSizeInBytes;

    private readonly byte[] _hmac;

    /// <summary>An attribute holding <paramref name="hmac"/> (copied).</summary>
    /// <exception cref="ArgumentException">Not 20 bytes.</exception>
    public MessageIntegrityAttribute(ReadOnlySpan<byte> hmac)
    {
        if (hmac.Length != ValueSizeInBytes)
        {
            throw new ArgumentException($"MESSAGE-INTEGRITY is {ValueSizeInBytes} bytes.", nameof(hmac));
        }
        _hmac = hmac.ToArray();
    }

    /// <summary>A zero value for the writer to compute.</summary>
    public static MessageIntegrityAttribute Placeholder() => new(new byte[ValueSizeInBytes]);

    /// <summary>The HMAC as carried.</summary>
    public ReadOnlySpan<byte> Hmac => _hmac;

    /// <inheritdoc/>
    public override ushort Type => (ushort)StunAttributeType.MessageIntegrity;

    /// <inheritdoc/>
    public override int ValueLength => ValueSizeInBytes;

    /// <inheritdoc/>
    internal override void WriteValue(Span<byte> destination, TransactionId transactionId) => _hmac.CopyTo(destination);

    internal static MessageIntegrityAttribute? TryDecode(ReadOnlySpan<byte> value) =>
        value.Length == ValueSizeInBytes ? new(value) : null;
}

/// <summary>
/// MESSAGE-INTEGRITY-SHA256 (0x001C, RFC 8489 §14.6): HMAC-SHA256 of the message up to this attribute (after
/// MESSAGE-INTEGRITY when both are present), with the header length pointing at its end; the leftmost 16 to 32
/// bytes, a multiple of 4.
/// </summary>
/// <remarks>Hazard: §14.6 allows truncation only where a STUN usage says so; a receiver that accepts short values
/// accepts weaker MACs. <see cref="StunMessage.VerifyMessageIntegritySha256"/> takes the minimum it accepts.</remarks>
public sealed class MessageIntegritySha256Attribute : StunAttribute
{
    /// <summary>Shortest value: 16 bytes (§14.6).</summary>
    public const int MinValueSizeInBytes = 16;

    /// <summary>Longest value, and the one to send: the full HMAC-SHA256, 32 bytes.</summary>
    public const int MaxValueSizeInBytes = HmacSha256.MacSizeInBytes;

    private readonly byte[] _hmac;

    /// <summary>An attribute holding <paramref name="hmac"/> (copied).</summary>
    /// <exception cref="ArgumentException">Not 16-32 bytes, or not a multiple of 4.</exception>
    public MessageIntegritySha256Attribute(ReadOnlySpan<byte> hmac)
    {
        if (!IsValidLength(hmac.Length))
        {
            throw new ArgumentException(
                $"MESSAGE-INTEGRITY-SHA256 is {MinValueSizeInBytes}-{MaxValueSizeInBytes} bytes, a multiple of 4.", nameof(hmac));
        }
        _hmac = hmac.ToArray();
    }

    /// <summary>A zero value of <paramref name="length"/> bytes for the writer to compute.</summary>
    public static MessageIntegritySha256Attribute Placeholder(int length = MaxValueSizeInBytes) => new(new byte[length]);

    /// <summary>The (possibly truncated) HMAC as carried.</summary>
    public ReadOnlySpan<byte> Hmac => _hmac;

    /// <inheritdoc/>
    public override ushort Type => (ushort)StunAttributeType.MessageIntegritySha256;

    /// <inheritdoc/>
    public override int ValueLength => _hmac.Length;

    /// <inheritdoc/>
    internal override void WriteValue(Span<byte> destination, TransactionId transactionId) => _hmac.CopyTo(destination);

    internal static bool IsValidLength(int length) =>
        length is >= MinValueSizeInBytes and <= MaxValueSizeInBytes && length % StunLimits.Alignment == 0;

    internal static MessageIntegritySha256Attribute? TryDecode(ReadOnlySpan<byte> value) =>
        IsValidLength(value.Length) ? new(value) : null;
}

/// <summary>
/// FINGERPRINT (0x8028, RFC 8489 §14.7): CRC-32 (ISO/IEC 13239, as in Ethernet) of the message up to this
/// attribute, XOR 0x5354554E; always the last attribute. Tells STUN apart from other protocols on one port;
/// no security.
/// </summary>
public sealed class FingerprintAttribute : StunAttribute
{
    /// <summary>Value size: 32 bits.</summary>
    public const int ValueSizeInBytes = 4;

    /// <summary>The constant XORed into the CRC ("STUN" in ASCII), so a CRC inside another protocol's
    /// payload does not look like a STUN fingerprint.</summary>
    public const uint XorConstant = 0x5354554E;

    /// <summary>An attribute holding <paramref name="value"/>.</summary>
    public FingerprintAttribute(uint value) => Value = value;

    /// <summary>A zero value; the writer always computes FINGERPRINT.</summary>
    public static FingerprintAttribute Placeholder() => new(0);

    /// <summary>The CRC-32 XOR <see cref="XorConstant"/> as carried.</summary>
    public uint Value { get; }

    /// <inheritdoc/>
    public override ushort Type => (ushort)StunAttributeType.Fingerprint;

    /// <inheritdoc/>
    public override int ValueLength => ValueSizeInBytes;

    /// <inheritdoc/>
    internal override void WriteValue(Span<byte> destination, TransactionId transactionId) =>
        BinaryPrimitives.WriteUInt32BigEndian(destination, Value);

    internal static FingerprintAttribute? TryDecode(ReadOnlySpan<byte> value) =>
        value.Length == ValueSizeInBytes ? new(BinaryPrimitives.ReadUInt32BigEndian(value)) : null;

    /// <inheritdoc/>
    public override string ToString() => $"FINGERPRINT 0x{Value:x8}";
}
