using System.Security.Cryptography;

namespace SecureComms.Traversal.Stun;

/// <summary>
/// The 96-bit transaction ID of a STUN message (RFC 8489 §5, §6): chosen uniformly at random by the client
/// for every new transaction and echoed by the server in its response.
/// </summary>
/// <remarks>
/// <para><b>Hazard.</b> The ID is the only thing that ties an unauthenticated response to its request: it must
/// come from a cryptographically secure generator (<see cref="New"/>), or an off-path attacker can forge
/// responses (and the XOR-MAPPED-ADDRESS of an IPv6 response is masked with it, §14.2).</para>
/// <para>Not secret: <see cref="ToString"/> shows it in hex.</para>
/// </remarks>
public readonly struct TransactionId : IEquatable<TransactionId>
{
    /// <summary>Size: 96 bits.</summary>
    public const int SizeInBytes = 96 / 8;

    private readonly byte[]? _bytes;

    private TransactionId(byte[] bytes) => _bytes = bytes;

    /// <summary>The 12 bytes (all zero for <c>default</c>).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? new byte[SizeInBytes];

    /// <summary>A fresh random ID from the OS CSPRNG.</summary>
    public static TransactionId New() => new(RandomNumberGenerator.GetBytes(SizeInBytes));

    /// <summary>An ID from its 12 bytes (copied).</summary>
    /// <exception cref="ArgumentException">Not 12 bytes.</exception>
    public static TransactionId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != SizeInBytes)
        {
            throw new ArgumentException($"A STUN transaction ID is {SizeInBytes} bytes.", nameof(bytes));
        }
        return new TransactionId(bytes.ToArray());
    }

    /// <summary>Byte equality (not secret, so not fixed time).</summary>
    public bool Equals(TransactionId other) => Bytes.SequenceEqual(other.Bytes); // public data: transaction ids are public

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TransactionId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }

    /// <summary>Hex of the 12 bytes.</summary>
    public override string ToString() => Convert.ToHexStringLower(Bytes);

    /// <summary>Byte equality.</summary>
    public static bool operator ==(TransactionId left, TransactionId right) => left.Equals(right);

    /// <summary>Byte inequality.</summary>
    public static bool operator !=(TransactionId left, TransactionId right) => !left.Equals(right);
}
