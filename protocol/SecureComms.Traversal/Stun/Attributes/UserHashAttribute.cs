using System.Text;
using SecureComms.Crypto;

namespace SecureComms.Traversal.Stun.Attributes;

/// <summary>
/// USERHASH (0x001E, RFC 8489 §14.4): SHA-256(username ":" realm), sent instead of USERNAME when the server
/// offered the §9.2 security feature "username anonymity". 32 bytes.
/// </summary>
/// <remarks>Username and realm are processed (OpaqueString, RFC 8265) by the caller, as for the key.</remarks>
public sealed class UserHashAttribute : StunAttribute
{
    /// <summary>Value size: SHA-256, 32 bytes.</summary>
    public const int ValueSizeInBytes = Sha256.HashSizeInBytes;

    private readonly byte[] _hash;

    /// <summary>An attribute holding <paramref name="hash"/> (copied).</summary>
    /// <exception cref="ArgumentException">Not 32 bytes.</exception>
    public UserHashAttribute(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != ValueSizeInBytes)
        {
            throw new ArgumentException($"USERHASH is {ValueSizeInBytes} bytes.", nameof(hash));
        }
        _hash = hash.ToArray();
    }

    /// <summary>§14.4: userhash = SHA-256(OpaqueString(username) ":" OpaqueString(realm)).</summary>
    public static UserHashAttribute Compute(string username, string realm)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(realm);
        var hash = new byte[ValueSizeInBytes];
        Sha256.Hash(Encoding.UTF8.GetBytes(username + ":" + realm), hash);
        return new UserHashAttribute(hash);
    }

    /// <summary>The hash as carried.</summary>
    public ReadOnlySpan<byte> Hash => _hash;

    /// <inheritdoc/>
    public override ushort Type => (ushort)StunAttributeType.UserHash;

    /// <inheritdoc/>
    public override int ValueLength => ValueSizeInBytes;

    /// <inheritdoc/>
    internal override void WriteValue(Span<byte> destination, TransactionId transactionId) => _hash.CopyTo(destination);

    internal static UserHashAttribute? TryDecode(ReadOnlySpan<byte> value) =>
        value.Length == ValueSizeInBytes ? new(value) : null;
}
