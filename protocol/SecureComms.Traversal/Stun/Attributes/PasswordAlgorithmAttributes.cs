using System.Buffers.Binary;

namespace SecureComms.Traversal.Stun.Attributes;

/// <summary>Password algorithms of the long-term credential mechanism (RFC 8489 §18.5; §9.2.2 the key).</summary>
public enum PasswordAlgorithm : ushort
{
    /// <summary>0x0001 MD5: key = MD5(username ":" realm ":" password), 16 bytes; the default without the attribute.</summary>
    Md5 = 0x0001,

    /// <summary>0x0002 SHA-256: key = SHA-256(username ":" realm ":" password), 32 bytes.</summary>
    Sha256 = 0x0002,
}

/// <summary>
/// One algorithm with its parameters: algorithm (16) ‖ parameters length (16) ‖ parameters (§14.11, §14.12).
/// MD5 and SHA-256 have no parameters.
/// </summary>
public sealed class PasswordAlgorithmEntry : IEquatable<PasswordAlgorithmEntry>
{
    /// <summary>Algorithm (2) ‖ parameters length (2).</summary>
    public const int FixedSizeInBytes = 4;

    private readonly byte[] _parameters;

    /// <summary>An entry for <paramref name="algorithm"/> (any 16-bit code; unknown ones are carried) with
    /// <paramref name="parameters"/> (copied).</summary>
    public PasswordAlgorithmEntry(ushort algorithm, ReadOnlySpan<byte> parameters = default)
    {
        if (parameters.Length > ushort.MaxValue - FixedSizeInBytes - StunLimits.Alignment)
        {
            throw new ArgumentException("Parameters too long for an attribute.", nameof(parameters));
        }
        Algorithm = algorithm;
        _parameters = parameters.ToArray();
    }

    /// <summary>The algorithm code (<see cref="PasswordAlgorithm"/> for the known ones).</summary>
    public ushort Algorithm { get; }

    /// <summary>The parameters.</summary>
    public ReadOnlySpan<byte> Parameters => _parameters;

    /// <summary>Size without padding of the parameters.</summary>
    internal int Size => FixedSizeInBytes + _parameters.Length;

    /// <summary>Size with the parameters padded to 4 bytes (the list form, §14.11).</summary>
    internal int PaddedSize => FixedSizeInBytes + StunWire.Padded(_parameters.Length);

    internal void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, Algorithm);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)_parameters.Length);
        _parameters.CopyTo(destination[FixedSizeInBytes..]);
    }

    /// <summary>Reads one entry at the start of <paramref name="value"/>; null when its parameters run
    /// past the end.</summary>
    internal static PasswordAlgorithmEntry? TryRead(ReadOnlySpan<byte> value)
    {
        if (value.Length < FixedSizeInBytes)
        {
            return null;
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
        return value.Length - FixedSizeInBytes < length
            ? null
            : new PasswordAlgorithmEntry(BinaryPrimitives.ReadUInt16BigEndian(value), value.Slice(FixedSizeInBytes, length));
    }

    /// <inheritdoc/>
    public bool Equals(PasswordAlgorithmEntry? other) =>
        other is not null && other.Algorithm == Algorithm && other.Parameters.SequenceEqual(Parameters); // public data: algorithm parameters

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PasswordAlgorithmEntry);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Algorithm, _parameters.Length);
}

/// <summary>
/// PASSWORD-ALGORITHM (0x001D, RFC 8489 §14.12): the algorithm the client chose from the server's list. The
/// value is exactly one entry (parameters unpadded; the attribute's own padding aligns it).
/// </summary>
public sealed class PasswordAlgorithmAttribute(PasswordAlgorithmEntry entry) : StunAttribute
{
    /// <summary>The chosen algorithm.</summary>
    public PasswordAlgorithmEntry Entry { get; } = entry ?? throw new ArgumentNullException(nameof(entry));

    /// <inheritdoc/>
    public override ushort Type => (ushort)StunAttributeType.PasswordAlgorithm;

    /// <inheritdoc/>
    public override int ValueLength => Entry.Size;

    /// <inheritdoc/>
    internal override void WriteValue(Span<byte> destination, TransactionId transactionId) => Entry.Write(destination);

    internal static PasswordAlgorithmAttribute? TryDecode(ReadOnlySpan<byte> value) =>
        PasswordAlgorithmEntry.TryRead(value) is { } entry && entry.Size == value.Length ? new(entry) : null;
}

/// <summary>
/// PASSWORD-ALGORITHMS (0x8002, RFC 8489 §14.11): the algorithms a server offers, in its order of preference,
/// each entry's parameters padded to 4 bytes. Reading refuses an entry that runs past the value or a value that
/// does not end on an entry.
/// </summary>
public sealed class PasswordAlgorithmsAttribute : StunAttribute
{
    private readonly PasswordAlgorithmEntry[] _entries;

    /// <summary>An attribute listing <paramref name="entries"/>.</summary>
    public PasswordAlgorithmsAttribute(IEnumerable<PasswordAlgorithmEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = [.. entries];
        if (_entries.Sum(e => (long)e.PaddedSize) > StunLimits.MaxMessageSizeInBytes)
        {
            throw new ArgumentException("Too many algorithms for one attribute.", nameof(entries));
        }
    }

    /// <summary>The offered algorithms, in order.</summary>
    public IReadOnlyList<PasswordAlgorithmEntry> Entries => _entries;

    /// <inheritdoc/>
    public override ushort Type => (ushort)StunAttributeType.PasswordAlgorithms;

    /// <inheritdoc/>
    public override int ValueLength => _entries.Sum(e => e.PaddedSize);

    /// <inheritdoc/>
    internal override void WriteValue(Span<byte> destination, TransactionId transactionId)
    {
        destination.Clear();
        int offset = 0;
        foreach (var entry in _entries)
        {
            entry.Write(destination[offset..]);
            offset += entry.PaddedSize;
        }
    }

    internal static PasswordAlgorithmsAttribute? TryDecode(ReadOnlySpan<byte> value)
    {
        var entries = new List<PasswordAlgorithmEntry>();
        int offset = 0;
        while (offset < value.Length)
        {
            if (PasswordAlgorithmEntry.TryRead(value[offset..]) is not { } entry || entry.PaddedSize > value.Length - offset)
            {
                return null;
            }
            entries.Add(entry);
            offset += entry.PaddedSize;
        }
        return new PasswordAlgorithmsAttribute(entries);
    }
}
