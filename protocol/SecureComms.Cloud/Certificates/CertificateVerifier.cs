using SecureComms.Crypto;

namespace SecureComms.Cloud.Certificates;

/// <summary>
/// Checks a peer's <see cref="IdentityCertificate"/> against the deployment's issuer key, the username the
/// peer claims to be, and the identity (static) key it presented.
/// </summary>
/// <remarks>
/// <para><b>Order.</b> The envelope is parsed first (size bound, canonical form: <see cref="CertificateStatus.Malformed"/>),
/// then the signature over <see cref="IdentityCertificate.SignaturePrefix"/> ‖ body is checked, before anything in
/// the body is believed. A bad signature is <see cref="CertificateStatus.BadSignature"/>, or
/// <see cref="CertificateStatus.WrongIssuer"/> when the (unauthenticated) body names another issuer's key id: a
/// diagnostic only, both are refusals. After the signature: version (<see cref="CertificateStatus.UnsupportedVersion"/>),
/// field ranges (<see cref="CertificateStatus.Malformed"/>), issuer key id (<see cref="CertificateStatus.WrongIssuer"/>),
/// validity (<see cref="CertificateStatus.NotYetValid"/>, <see cref="CertificateStatus.Expired"/>), username
/// (<see cref="CertificateStatus.WrongUser"/>), identity key (<see cref="CertificateStatus.KeyMismatch"/>).</para>
/// <para><b>Validity.</b> Valid when <c>not_before ≤ now + skew</c> and <c>now − skew &lt; not_after</c>: the start is
/// inclusive, the end exclusive, so with zero skew a certificate whose <c>not_after</c> is exactly now is expired.
/// Arithmetic is in Unix milliseconds (<c>now</c> truncated); skew is at most <see cref="MaxClockSkew"/>, so it
/// cannot overflow.</para>
/// <para><b>Comparisons.</b> Usernames are public and compared ordinally (both sides normalized usernames);
/// identity keys with <see cref="FixedTime.Equals"/>.</para>
/// <para><b>Totality.</b> Any input bytes give a <see cref="CertificateVerification"/>; only caller errors (a null
/// key or username, a skew out of range) throw.</para>
/// </remarks>
public static class CertificateVerifier
{
    /// <summary>Clock skew tolerated by default between issuer, prover and verifier: 5 minutes.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Largest clock skew a caller may ask for: 1 hour.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromHours(1);

    /// <summary>Verifies a certificate already parsed (its exact received bytes are verified again).</summary>
    public static CertificateVerification Verify(
        IdentityCertificate certificate, Ed25519PublicKey issuerPublicKey, string expectedUsername,
        byte[]? expectedIdentityKey, DateTimeOffset now, TimeSpan clockSkew)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Verify(certificate.Serialized, issuerPublicKey, expectedUsername, expectedIdentityKey, now, clockSkew);
    }

    /// <summary>Verifies a serialized certificate.</summary>
    /// <param name="serialized">The certificate as received.</param>
    /// <param name="issuerPublicKey">The deployment's issuer key.</param>
    /// <param name="expectedUsername">The (normalized) username the peer claims.</param>
    /// <param name="expectedIdentityKey">The identity key the peer presented (<c>0x05 ‖ u</c>), or null to skip that check.</param>
    /// <param name="now">The verifier's clock.</param>
    /// <param name="clockSkew">Tolerance on both ends of the validity period, 0 to <see cref="MaxClockSkew"/>.</param>
    public static CertificateVerification Verify(
        ReadOnlySpan<byte> serialized, Ed25519PublicKey issuerPublicKey, string expectedUsername,
        byte[]? expectedIdentityKey, DateTimeOffset now, TimeSpan clockSkew)
    {
        ArgumentNullException.ThrowIfNull(issuerPublicKey);
        ArgumentNullException.ThrowIfNull(expectedUsername);
        ArgumentOutOfRangeException.ThrowIfLessThan(clockSkew, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(clockSkew, MaxClockSkew);

        if (!IdentityCertificate.TryParseEnvelope(serialized, out byte[] body, out byte[] signature))
        {
            return Refused(CertificateStatus.Malformed);
        }
        byte[] expectedKeyId = IdentityCertificate.IssuerKeyIdOf(issuerPublicKey);
        if (!Ed25519.Verify(issuerPublicKey, IdentityCertificate.SignedBytes(body), signature))
        {
            var claimed = IdentityCertificate.TryParseBodyMessage(body);
            bool otherIssuer = claimed is not null
                && claimed.IssuerKeyId.Length == IdentityCertificate.IssuerKeyIdSizeInBytes
                && !claimed.IssuerKeyId.Span.SequenceEqual(expectedKeyId); // public data: key ids
            return Refused(otherIssuer ? CertificateStatus.WrongIssuer : CertificateStatus.BadSignature);
        }

        var parsed = IdentityCertificate.TryParseBody(serialized.ToArray(), body, signature, out var certificate);
        if (certificate is null)
        {
            return Refused(parsed);
        }
        if (!FixedTime.Equals(certificate.IssuerKeyId, expectedKeyId))
        {
            return Refused(CertificateStatus.WrongIssuer);
        }
        long nowMs = now.ToUnixTimeMilliseconds();
        long skewMs = (long)clockSkew.TotalMilliseconds;
        if (nowMs + skewMs < certificate.NotBeforeUnixMs)
        {
            return Refused(CertificateStatus.NotYetValid);
        }
        if (nowMs - skewMs >= certificate.NotAfterUnixMs)
        {
            return Refused(CertificateStatus.Expired);
        }
        if (!string.Equals(certificate.Username, expectedUsername, StringComparison.Ordinal))
        {
            return Refused(CertificateStatus.WrongUser);
        }
        if (expectedIdentityKey is not null && !FixedTime.Equals(certificate.IdentityKey, expectedIdentityKey))
        {
            return Refused(CertificateStatus.KeyMismatch);
        }
        return new CertificateVerification(CertificateStatus.Valid, certificate);
    }

    private static CertificateVerification Refused(CertificateStatus status) => new(status, null);
}
