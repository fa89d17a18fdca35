using System.Buffers.Text;
using System.Security.Cryptography;
using SecureComms.Crypto;

namespace SecureComms.Server.Accounts;

/// <summary>
/// Session tokens: 256 random bits from the system CSPRNG, given to the client once as unpadded base64url
/// (RFC 4648 §5; 43 characters), stored only as SHA-256 of the 32 bytes.
/// </summary>
/// <remarks>
/// <para><b>Why a plain hash.</b> The token is uniformly random with 256 bits of entropy, so SHA-256 of it
/// needs no salt or key: a stolen database yields hashes from which no token can be recovered or guessed,
/// and nothing in it authenticates (RFC 6819 §5.1.4.1.3: no cleartext storage of credentials).</para>
/// <para><b>Parsing</b> is strict: exactly <see cref="EncodedLength"/> base64url characters that decode to 32
/// bytes and re-encode to the same text, so one token has one spelling.</para>
/// <para><b>Hazards.</b> The token is a bearer credential: only over TLS, never logged. Expiry is
/// <see cref="Lifetime"/> from issue, not sliding.</para>
/// </remarks>
public static class SessionToken
{
    /// <summary>Token size: 256 bits.</summary>
    public const int SizeInBytes = 32;

    /// <summary>Length of the token's text: 43 base64url characters.</summary>
    public const int EncodedLength = 43;

    /// <summary>How long a session lasts from sign-in: 30 days (then the user signs in again).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    /// <summary>A new token: the text for the client and the hash for the store.</summary>
    public static (string Token, byte[] Hash) Generate()
    {
        Span<byte> token = stackalloc byte[SizeInBytes];
        RandomNumberGenerator.Fill(token);
        try
        {
            byte[] hash = new byte[Sha256.HashSizeInBytes];
            Sha256.Hash(token, hash);
            return (Base64Url.EncodeToString(token), hash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(token);
        }
    }

    /// <summary>The hash of <paramref name="token"/>'s bytes; false when it is not a well-formed token.</summary>
    public static bool TryHash(string? token, out byte[] hash)
    {
        hash = [];
        if (token is null || token.Length != EncodedLength)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[SizeInBytes + 2];
        try
        {
            if (Base64Url.DecodeFromChars(token, bytes, out int consumed, out int written) != System.Buffers.OperationStatus.Done
                || consumed != EncodedLength || written != SizeInBytes
                || !Base64Url.EncodeToString(bytes[..SizeInBytes]).Equals(token, StringComparison.Ordinal))
            {
                return false;
            }
            hash = new byte[Sha256.HashSizeInBytes];
            Sha256.Hash(bytes[..SizeInBytes], hash);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
