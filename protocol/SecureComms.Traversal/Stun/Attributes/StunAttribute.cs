namespace SecureComms.Traversal.Stun.Attributes;

/// <summary>
/// One attribute of a STUN message (RFC 8489 §14): a 16-bit type, a 16-bit length and a value padded to a
/// multiple of 4 bytes. Subclasses are the typed attributes SecureComms understands; anything else is a
/// <see cref="RawAttribute"/>.
/// </summary>
/// <remarks>
/// <para><b>Immutable.</b> Every subclass validates its value at construction (an
/// <see cref="ArgumentException"/> names the bound) and never changes afterwards.</para>
/// <para><b>Equality.</b> Two attributes are equal when they have the same runtime type, the same type code
/// and the same encoded value (under the same transaction ID, so XOR-MAPPED-ADDRESS compares by address).
/// Padding bytes are not part of the value (§14: their content is ignored).</para>
/// </remarks>
public abstract class StunAttribute : IEquatable<StunAttribute>
{
    /// <summary>The attribute's type code.</summary>
    public abstract ushort Type { get; }

    /// <summary>Length of the value before padding (what the attribute's length field says).</summary>
    public abstract int ValueLength { get; }

    /// <summary>Writes the <see cref="ValueLength"/> value bytes (the XOR attributes mask with
    /// <paramref name="transactionId"/>).</summary>
    internal abstract void WriteValue(Span<byte> destination, TransactionId transactionId);

    /// <summary>The value as it would be written under <paramref name="transactionId"/>.</summary>
    public byte[] EncodeValue(TransactionId transactionId)
    {
        var value = new byte[ValueLength];
        WriteValue(value, transactionId);
        return value;
    }

    /// <inheritdoc/>
    public bool Equals(StunAttribute? other) =>
        other is not null
        && other.GetType() == GetType()
        && other.Type == Type
        && other.ValueLength == ValueLength
        && EncodeValue(default).AsSpan().SequenceEqual(other.EncodeValue(default)); // public data: message equality, never integrity verification (StunIntegrity)

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as StunAttribute);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Type, ValueLength);

    /// <summary>The type and length; subclasses add what is not secret.</summary>
    public override string ToString() => $"0x{Type:x4} ({ValueLength} bytes)";
}
