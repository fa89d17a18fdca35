using System.Text;
using Google.Protobuf;
using SecureComms.Crypto;
using CertificateBodyMessage = SecureComms.Cloud.Proto.CertificateBody;
using CertificateEnvelope = SecureComms.Cloud.Proto.IdentityCertificate;

namespace SecureComms.Cloud.Certificates;

/// <summary>
/// The deployment's certificate issuer: signs (username, user id, identity key, validity) with the server's
/// Ed25519 issuer key (see <see cref="IdentityCertificate"/> for the signed bytes).
/// </summary>
/// <remarks>
/// The issuer does not own <paramref name="signingKey"/>: whoever loaded it disposes it. It signs whatever
/// it is asked to; checking that the identity key is the account's published one is the caller's job (the
/// server issues only for the signed-in account's own key).
/// </remarks>
/// <param name="signingKey">The server's Ed25519 issuer key (see <see cref="IssuerKeyFiles"/>).</param>
public sealed class CertificateIssuer(Ed25519PrivateKey signingKey)
{
    /// <summary>Validity of a certificate unless the caller asks for another: 7 days.</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(7);

    /// <summary>Longest validity the issuer grants: 30 days (there is no revocation; expiry is the only end).</summary>
    public static readonly TimeSpan MaxValidity = TimeSpan.FromDays(30);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Ed25519PrivateKey _signingKey = signingKey ?? throw new ArgumentNullException(nameof(signingKey));

    /// <summary>The issuer's public key: what every verifier of this deployment holds.</summary>
    public Ed25519PublicKey PublicKey => _signingKey.PublicKey;

    /// <summary>The issuer key id written into every certificate (<see cref="IdentityCertificate.IssuerKeyIdOf"/>).</summary>
    public ReadOnlySpan<byte> KeyId => IdentityCertificate.IssuerKeyIdOf(PublicKey);

    /// <summary>Issues a certificate valid from <paramref name="now"/> (truncated to the millisecond) for
    /// <paramref name="validity"/> (default <see cref="DefaultValidity"/>).</summary>
    /// <param name="username">The account's normalized username, 1 to <see cref="IdentityCertificate.MaxUsernameLength"/> characters.</param>
    /// <param name="userId">The account's id.</param>
    /// <param name="identityKey">The account's identity key, <c>0x05 ‖ u</c> (33 bytes).</param>
    /// <param name="now">The issuer's clock.</param>
    /// <param name="validity">More than zero, at most <see cref="MaxValidity"/>.</param>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    public IdentityCertificate Issue(string username, ulong userId, ReadOnlySpan<byte> identityKey, DateTimeOffset now, TimeSpan? validity = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        if (username.Length > IdentityCertificate.MaxUsernameLength)
        {
            throw new ArgumentException($"Username must be at most {IdentityCertificate.MaxUsernameLength} characters.", nameof(username));
        }
        try
        {
            StrictUtf8.GetByteCount(username);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("Username is not valid Unicode.", nameof(username), e);
        }
        if (identityKey.Length != IdentityCertificate.IdentityKeySizeInBytes || identityKey[0] != IdentityCertificate.IdentityKeyType)
        {
            throw new ArgumentException($"Identity key must be 0x05 followed by 32 bytes.", nameof(identityKey));
        }
        TimeSpan span = validity ?? DefaultValidity;
        if (span <= TimeSpan.Zero || span > MaxValidity)
        {
            throw new ArgumentOutOfRangeException(nameof(validity), span, $"Validity must be more than zero and at most {MaxValidity}.");
        }
        long notBefore = now.ToUnixTimeMilliseconds();
        long notAfter = notBefore + (long)span.TotalMilliseconds;
        if (notAfter > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            throw new ArgumentOutOfRangeException(nameof(now), now, "Validity would end after the last representable date.");
        }
        var body = new CertificateBodyMessage
        {
            Version = IdentityCertificate.CurrentVersion,
            Username = username,
            UserId = userId,
            IdentityKey = ByteString.CopyFrom(identityKey),
            NotBeforeUnixMs = notBefore,
            NotAfterUnixMs = notAfter,
            IssuerKeyId = ByteString.CopyFrom(KeyId),
        };
        return IdentityCertificate.Parse(SignBody(body.ToByteArray()));
    }

    /// <summary>Signs arbitrary body bytes into a serialized certificate (tests use it to sign bodies
    /// <see cref="Issue"/> would never write: unknown fields, other versions, out-of-range fields).</summary>
    internal byte[] SignBody(ReadOnlySpan<byte> body)
    {
        byte[] signature = new byte[Ed25519.SignatureSizeInBytes];
        Ed25519.Sign(_signingKey, IdentityCertificate.SignedBytes(body), signature);
        return new CertificateEnvelope { Body = ByteString.CopyFrom(body), Signature = ByteString.CopyFrom(signature) }.ToByteArray();
    }
}
