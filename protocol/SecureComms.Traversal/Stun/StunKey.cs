using System.Security.Cryptography;
using System.Text;
using SecureComms.Crypto;
using SecureComms.Traversal.Stun.Attributes;

namespace SecureComms.Traversal.Stun;

/// <summary>
/// The HMAC key of MESSAGE-INTEGRITY and MESSAGE-INTEGRITY-SHA256 (RFC 8489 §9.1.1, §9.2.2), in a wiped,
/// non-exportable container.
/// </summary>
/// <remarks>
/// <para><b>Short-term</b> (§9.1.1): key = OpaqueString(password).</para>
/// <para><b>Long-term</b> (§9.2.2): key = MD5(username ":" OpaqueString(realm) ":" OpaqueString(password)),
/// 16 bytes, or with PASSWORD-ALGORITHM SHA-256 the same input under SHA-256, 32 bytes.</para>
/// <para><b>String preparation is the caller's.</b> RFC 8489 processes username, realm and password with the PRECIS
/// OpaqueString profile (RFC 8265); RFC 5389 and the RFC 5769 samples used SASLprep (RFC 4013). Neither is
/// implemented here: the strings given are hashed as their UTF-8 bytes, exactly. For ASCII credentials without
/// spaces both profiles are the identity. (RFC 5769 §2.4's password "The&lt;U+00AD&gt;M&lt;U+00AA&gt;tr&lt;U+2168&gt;" is
/// "TheMatrIX" after SASLprep: the sample's key is made from the prepared string.)</para>
/// <para><b>Hazards.</b> The MD5 form is what most deployed servers use; it is a password-equivalent: whoever has
/// it can authenticate. Dispose keys when the transaction ends.</para>
/// </remarks>
public sealed class StunKey : Secret
{
    private StunKey(ReadOnlySpan<byte> key)
        : base(key, exportable: false)
    {
    }

    /// <summary>A short-term credential key: the UTF-8 of the (prepared) password (§9.1.1).</summary>
    public static StunKey ShortTerm(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        byte[] bytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return new StunKey(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>A long-term credential key (§9.2.2) from prepared <paramref name="username"/>,
    /// <paramref name="realm"/> and <paramref name="password"/>.</summary>
    /// <exception cref="ArgumentException">An algorithm other than MD5 or SHA-256.</exception>
    public static StunKey LongTerm(string username, string realm, string password, PasswordAlgorithm algorithm = PasswordAlgorithm.Md5)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(password);
        byte[] input = Encoding.UTF8.GetBytes(username + ":" + realm + ":" + password);
        Span<byte> key = stackalloc byte[Sha256.HashSizeInBytes];
        try
        {
            switch (algorithm)
            {
                case PasswordAlgorithm.Md5:
                    Md5.Hash(input, key[..Md5.HashSizeInBytes]);
                    return new StunKey(key[..Md5.HashSizeInBytes]);
                case PasswordAlgorithm.Sha256:
                    Sha256.Hash(input, key);
                    return new StunKey(key);
                default:
                    throw new ArgumentException($"Unknown password algorithm 0x{(ushort)algorithm:x4}.", nameof(algorithm));
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The key bytes, for <see cref="StunIntegrity"/>.</summary>
    internal ReadOnlySpan<byte> Bytes => Value;
}
