using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureComms.Server.Tls;

/// <summary>
/// The deployment's own certificate authority and the server certificate it issues: what
/// <c>securecomms server init</c> creates and clients pin (<c>ca.pem</c>). No public CA is involved: trust in
/// the service is exactly possession of this deployment's <c>ca.pem</c>.
/// </summary>
/// <remarks>
/// References: RFC 5280 §4.2.1.9 (basicConstraints), §4.2.1.3 (keyUsage), §4.2.1.12 (extKeyUsage),
/// §4.2.1.6 (subjectAltName); RFC 8446 §4.4.2 (certificates in TLS 1.3); RFC 6125 §6.4 (host names
/// checked against DNS and IP SANs, never the CN).
/// Parameters: ECDSA P-256 with SHA-256 for both keys; CA valid <see cref="CaValidity"/>, path length 0;
/// server certificate valid <see cref="ServerCertificateValidity"/>, serverAuth only, 128-bit random serials.
/// Hazards: the CA private key can mint a certificate for any name the clients will accept: it stays in
/// <c>ca.key.pem</c> (mode 0600) and is needed only to issue a new server certificate. The returned objects
/// hold private keys: dispose them.
/// </remarks>
public sealed class DeploymentCa : IDisposable
{
    /// <summary>Lifetime of the CA certificate: 10 years (clients pin it; replacing it means re-distributing ca.pem).</summary>
    public static readonly TimeSpan CaValidity = TimeSpan.FromDays(3650);

    /// <summary>Lifetime of a server certificate: 1 year (re-issued from the CA key).</summary>
    public static readonly TimeSpan ServerCertificateValidity = TimeSpan.FromDays(365);

    /// <summary>Both certificates start this long before their creation, so a client whose clock is a little
    /// behind still accepts them.</summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

    /// <summary>Size of a certificate serial number: 128 bits, random (CA/B Forum asks for at least 64).</summary>
    public const int SerialNumberSizeInBytes = 128 / 8;

    /// <summary>The subject of every deployment CA.</summary>
    public const string CaSubject = "CN=SecureComms Deployment CA";

    /// <summary>The subject of every server certificate (names are checked in the SAN only).</summary>
    public const string ServerSubject = "CN=SecureComms Server";

    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    private DeploymentCa(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>A new CA: a fresh P-256 key and a self-signed certificate valid from now for <see cref="CaValidity"/>.</summary>
    public static DeploymentCa Create(DateTimeOffset now)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(CaSubject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(
            certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return new DeploymentCa(request.CreateSelfSigned(now - ClockSkewAllowance, now + CaValidity));
    }

    /// <summary>Wraps an existing CA certificate that has its private key (loaded from <c>ca.key.pem</c>).</summary>
    /// <exception cref="ArgumentException">The certificate has no private key.</exception>
    public static DeploymentCa FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("The CA certificate must carry its private key.", nameof(certificate));
        }
        return new DeploymentCa(certificate);
    }

    /// <summary>
    /// A server certificate for <paramref name="dnsNames"/> and <paramref name="ipAddresses"/> (at least one
    /// name in all), with a fresh P-256 key, valid from now for <see cref="ServerCertificateValidity"/> but never
    /// past the CA's own expiry.
    /// </summary>
    /// <exception cref="ArgumentException">No name at all, or an empty DNS name.</exception>
    public X509Certificate2 IssueServerCertificate(IReadOnlyCollection<string> dnsNames, IReadOnlyCollection<IPAddress> ipAddresses, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        ArgumentNullException.ThrowIfNull(ipAddresses);
        if (dnsNames.Count + ipAddresses.Count == 0)
        {
            throw new ArgumentException("A server certificate needs at least one DNS name or IP address.", nameof(dnsNames));
        }
        if (dnsNames.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A DNS name is empty.", nameof(dnsNames));
        }
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(ServerSubject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid(ServerAuthOid)], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (string name in dnsNames)
        {
            san.AddDnsName(name);
        }
        foreach (IPAddress address in ipAddresses)
        {
            san.AddIpAddress(address);
        }
        request.CertificateExtensions.Add(san.Build(critical: false));

        DateTimeOffset notAfter = now + ServerCertificateValidity;
        if (notAfter > Certificate.NotAfter)
        {
            notAfter = Certificate.NotAfter;
        }
        byte[] serial = RandomNumberGenerator.GetBytes(SerialNumberSizeInBytes);
        serial[0] &= 0x7F; // a positive INTEGER (RFC 5280 §4.1.2.2)
        using X509Certificate2 issued = request.Create(Certificate, now - ClockSkewAllowance, notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>Disposes the certificate and its private key.</summary>
    public void Dispose() => Certificate.Dispose();
}
