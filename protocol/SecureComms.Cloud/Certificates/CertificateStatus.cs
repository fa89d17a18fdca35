namespace SecureComms.Cloud.Certificates;

/// <summary>The outcome of parsing or verifying an <see cref="IdentityCertificate"/>.</summary>
/// <remarks>Every value but <see cref="Valid"/> is a refusal; the certificate must then not be used at all.</remarks>
public enum CertificateStatus
{
    /// <summary>Signed by the expected issuer, in its validity period, for the expected user and key.</summary>
    Valid = 0,

    /// <summary>Not a certificate: over the size bound, not protobuf, a non-canonical envelope, a signature that is
    /// not 64 bytes, or a body whose fields are out of range (identity key not <c>0x05 ‖ u</c>, issuer key id not
    /// 8 bytes, empty or overlong username, validity empty or outside the representable dates).</summary>
    Malformed,

    /// <summary>The body's version is not <see cref="IdentityCertificate.CurrentVersion"/>.</summary>
    UnsupportedVersion,

    /// <summary>The signature does not verify under the issuer key over the signed bytes.</summary>
    BadSignature,

    /// <summary>The body names another issuer (its issuer key id is not the expected key's).</summary>
    WrongIssuer,

    /// <summary>The validity period ended: <c>now − skew ≥ not_after</c>.</summary>
    Expired,

    /// <summary>The validity period has not begun: <c>now + skew &lt; not_before</c>.</summary>
    NotYetValid,

    /// <summary>The certificate is for another username.</summary>
    WrongUser,

    /// <summary>The certificate binds another identity key than the one the peer presented.</summary>
    KeyMismatch,
}

/// <summary>The result of <see cref="CertificateVerifier.Verify(ReadOnlySpan{byte}, SecureComms.Crypto.Ed25519PublicKey, string, byte[], DateTimeOffset, TimeSpan)"/>.</summary>
/// <param name="Status">Why the certificate was refused, or <see cref="CertificateStatus.Valid"/>.</param>
/// <param name="Certificate">The parsed certificate when <see cref="CertificateStatus.Valid"/>; null otherwise.</param>
public sealed record CertificateVerification(CertificateStatus Status, IdentityCertificate? Certificate)
{
    /// <summary>Whether the certificate may be used.</summary>
    public bool IsValid => Status == CertificateStatus.Valid && Certificate is not null;
}
