using System.Buffers.Binary;

namespace SecureComms.Traversal.Stun.Attributes;

/// <summary>
/// UNKNOWN-ATTRIBUTES (0x000A, RFC 8489 §14.13): the comprehension-required attribute types a server did not
/// understand, 16 bits each, in a 420 response.
/// </summary>
/// <remarks>Reading refuses an odd value length. The list is bounded by the attribute's length (at most 32,766
/// entries in the largest message); <see cref="StunLimits.MaxAttributes"/> bounds how many a server lists.</remarks>
public sealed class UnknownAttributesAttribute : StunAttribute
{
    private readonly ushort[] _types;

    /// <summary>An attribute listing <paramref name="types"/>.</summary>
    /// <exception cref="ArgumentException">More types than fit the length field.</exception>
    public UnknownAttributesAttribute(IEnumerable<ushort> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        _types = [.. types];
        if (_types.Length > ushort.MaxValue / sizeof(ushort))
        {
            throw new ArgumentException("Too many attribute types for one attribute.", nameof(types));
        }
    }

    /// <summary>The listed types, in order.</summary>
    public IReadOnlyList<ushort> Types => _types;

    /// <inheritdoc/>
    public override ushort Type => (ushort)StunAttributeType.UnknownAttributes;

    /// <inheritdoc/>
    public override int ValueLength => _types.Length * sizeof(ushort);

    /// <inheritdoc/>
    internal override void WriteValue(Span<byte> destination, TransactionId transactionId)
    {
        for (int i = 0; i < _types.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(i * sizeof(ushort))..], _types[i]);
        }
    }

    internal static UnknownAttributesAttribute? TryDecode(ReadOnlySpan<byte> value)
    {
        if (value.Length % sizeof(ushort) != 0)
        {
            return null;
        }
        var types = new ushort[value.Length / sizeof(ushort)];
        for (int i = 0; i < types.Length; i++)
        {
            types[i] = BinaryPrimitives.ReadUInt16BigEndian(value[(i * sizeof(ushort))..]);
        }
        return new UnknownAttributesAttribute(types);
    }

    /// <inheritdoc/>
    public override string ToString() => $"UNKNOWN-ATTRIBUTES [{string.Join(", ", _types.Select(t => $"0x{t:x4}"))}]";
}
