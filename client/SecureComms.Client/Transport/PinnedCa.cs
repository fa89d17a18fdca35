using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureComms.Client.Transport;

/// <summary>
/// Trust in the cloud service: the deployment's CA (<c>ca.pem</c> from <c>securecomms server init</c>) and
/// nothing else. The system's trust store plays no part, in either direction: a certificate from a public CA
/// is refused, and the deployment's own certificate is accepted without installing anything.
/// </summary>
/// <remarks>
/// References: RFC 5280 §6 (path validation), RFC 6125 §6 (host names: checked by <see cref="SslStream"/>
/// against the certificate's DNS and IP SANs, reported as <see cref="SslPolicyErrors.RemoteCertificateNameMismatch"/>).
/// Rule: accept only when (1) there is a certificate, (2) the only policy error, if any, is
/// <see cref="SslPolicyErrors.RemoteCertificateChainErrors"/> (the system store does not know our CA), never a
/// name mismatch, (3) the certificate is a leaf (not cA) with an explicit serverAuth EKU, and (4) a chain built
/// with <see cref="X509ChainTrustMode.CustomRootTrust"/>, only the pinned CA in the custom store, revocation off,
/// no downloads, serverAuth required, ends at exactly that CA.
/// Hazards: never pin a leaf (server certificates are re-issued yearly); never turn this into "accept all".
/// </remarks>
public sealed class PinnedCa : IDisposable
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    private readonly X509Certificate2 _ca;

    /// <summary>Pins <paramref name="caCertificate"/> (a copy is kept; the caller keeps ownership of its own).</summary>
    /// <exception cref="ArgumentException">The certificate is not a CA certificate.</exception>
    public PinnedCa(X509Certificate2 caCertificate)
    {
        ArgumentNullException.ThrowIfNull(caCertificate);
        if (caCertificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            throw new ArgumentException("The pinned certificate is not a CA certificate (basicConstraints cA).", nameof(caCertificate));
        }
        _ca = X509CertificateLoader.LoadCertificate(caCertificate.RawData);
    }

    /// <summary>Pins the CA in the PEM file at <paramref name="caPemPath"/> (<c>--ca FILE</c>).</summary>
    /// <exception cref="CryptographicException">The file holds no PEM certificate.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static PinnedCa FromPemFile(string caPemPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caPemPath);
        using X509Certificate2 ca = X509Certificate2.CreateFromPem(File.ReadAllText(caPemPath));
        return new PinnedCa(ca);
    }

    /// <summary>SHA-256 of the CA certificate, hex: what an operator compares out of band.</summary>
    public string Fingerprint => _ca.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>The <see cref="RemoteCertificateValidationCallback"/> implementing the rule above.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }
        using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (!IsServerLeaf(leaf))
        {
            return false;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(_ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.DisableCertificateDownloads = true;
        custom.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthOid));
        if (!custom.Build(leaf))
        {
            return false;
        }
        return custom.ChainElements[^1].Certificate.RawData.AsSpan().SequenceEqual(_ca.RawData); // public data: certificates
    }

    /// <summary>Not a CA, and an explicit serverAuth EKU (a certificate without EKU is valid for any purpose, which
    /// would let the CA certificate itself pass).</summary>
    private static bool IsServerLeaf(X509Certificate2 leaf)
    {
        bool isCa = leaf.Extensions.OfType<X509BasicConstraintsExtension>().Any(c => c.CertificateAuthority);
        bool serverAuth = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>()
            .Any(e => e.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ServerAuthOid));
        return !isCa && serverAuth;
    }

    /// <summary>Releases the pinned certificate.</summary>
    public void Dispose() => _ca.Dispose();
}
