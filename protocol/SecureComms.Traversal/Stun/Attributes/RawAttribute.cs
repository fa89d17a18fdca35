namespace SecureComms.Traversal.Stun.Attributes;

/// <summary>
/// An attribute SecureComms does not interpret (ICE's PRIORITY, ICE-CONTROLLED, TURN's attributes for now...):
/// its type and value bytes, kept in place so the message re-serializes unchanged.
/// </summary>
/// <remarks>
/// A comprehension-required one (type below 0x8000) is still read: the reader is a codec, and it is the agent
/// that answers a request carrying one with 420 and UNKNOWN-ATTRIBUTES (RFC 8489 §6.3.1.1), using
/// <see cref="StunMessage.UnknownComprehensionRequired"/>.
/// </remarks>
public sealed class RawAttribute : StunAttribute
{
    private readonly byte[] _value;

    /// <summary>An attribute of type <paramref name="type"/> with <paramref name="value"/> (copied).</summary>
    /// <exception cref="ArgumentException">The value does not fit the 16-bit length field.</exception>
    public RawAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"An attribute value is at most {ushort.MaxValue} bytes.", nameof(value));
        }
        Type = type;
        _value = value.ToArray();
    }

    /// <inheritdoc/>
    public override ushort Type { get; }

    /// <summary>The value bytes.</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <inheritdoc/>
    public override int ValueLength => _value.Length;

    /// <summary>Whether an agent that does not know this type must refuse the message.</summary>
    public bool IsComprehensionRequired => StunAttributeTypes.IsComprehensionRequired(Type);

    /// <inheritdoc/>
    internal override void WriteValue(Span<byte> destination, TransactionId transactionId) => _value.CopyTo(destination);
}
