using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureComms.Cloud.Tests.Transport;
using SecureComms.Crypto;
using SecureComms.Server.Tls;

namespace SecureComms.Cloud.Tests.Tls;

/// <summary><c>securecomms server init</c>'s deployment: the CA, the server certificate, the files and their modes.</summary>
public sealed class DeploymentTests
{
    [Fact]
    public void Init_twice_refuses_and_changes_nothing()
    {
        using var deployment = new TempDeployment();
        var before = deployment.Files.AllPaths.ToDictionary(p => p, File.ReadAllBytes);

        var refused = Assert.Throws<DeploymentExistsException>(() => deployment.Files.Initialize([], DateTimeOffset.UtcNow));

        Assert.Contains("already exists", refused.Message, StringComparison.Ordinal);
        foreach (var (path, bytes) in before)
        {
            Assert.Equal(bytes, File.ReadAllBytes(path));
        }
    }

    [Fact]
    public void Init_refuses_when_any_one_file_is_there()
    {
        string directory = Path.Combine(Path.GetTempPath(), "securecomms-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            File.WriteAllText(Path.Combine(directory, DeploymentFiles.ServerKeyFileName), "not mine");
            var files = new DeploymentFiles(directory);

            Assert.Throws<DeploymentExistsException>(() => files.Initialize([], DateTimeOffset.UtcNow));
            Assert.False(File.Exists(files.CaCertificatePath));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Key_files_have_mode_0600()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes only; Windows relies on the directory's ACL.
        }
        using var deployment = new TempDeployment();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(deployment.Files.CaKeyPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(deployment.Files.ServerKeyPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(deployment.Files.IssuerKeyPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(deployment.Directory));
    }

    [Fact]
    public void Init_creates_the_issuer_key_whose_public_half_is_issuer_pub()
    {
        using var deployment = new TempDeployment();

        using Ed25519PrivateKey? key = deployment.Files.LoadIssuerKey();
        Ed25519PublicKey published = deployment.Files.LoadIssuerPublicKey();

        Assert.True(deployment.Files.HasIssuerKey);
        Assert.NotNull(key);
        Assert.Equal(key.PublicKey.Bytes.ToArray(), published.Bytes.ToArray());
        Assert.Equal(Ed25519PublicKey.SizeInBytes, new FileInfo(deployment.Files.IssuerPublicKeyPath).Length);
        Assert.Equal([deployment.Files.IssuerKeyPath, deployment.Files.IssuerPublicKeyPath],
            deployment.Files.AllPaths.Where(p => Path.GetFileName(p).StartsWith("issuer", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_deployment_made_before_the_issuer_key_has_none_until_it_is_added_once()
    {
        using var deployment = new TempDeployment();
        File.Delete(deployment.Files.IssuerKeyPath);
        File.Delete(deployment.Files.IssuerPublicKeyPath);
        byte[] serverKey = File.ReadAllBytes(deployment.Files.ServerKeyPath);

        bool before = deployment.Files.HasIssuerKey;
        Ed25519PrivateKey? none = deployment.Files.LoadIssuerKey();
        deployment.Files.CreateIssuerKey();
        using Ed25519PrivateKey? added = deployment.Files.LoadIssuerKey();
        byte[] addedPublic = File.ReadAllBytes(deployment.Files.IssuerPublicKeyPath);

        Assert.False(before);
        Assert.Null(none);
        Assert.NotNull(added);
        Assert.Equal(added.PublicKey.Bytes.ToArray(), addedPublic);
        Assert.Throws<DeploymentExistsException>(deployment.Files.CreateIssuerKey);
        Assert.Equal(addedPublic, File.ReadAllBytes(deployment.Files.IssuerPublicKeyPath)); // the refusal changed nothing
        Assert.Equal(serverKey, File.ReadAllBytes(deployment.Files.ServerKeyPath));
    }

    [Fact]
    public void Ca_pem_is_public_only()
    {
        using var deployment = new TempDeployment();

        string pem = File.ReadAllText(deployment.Files.CaCertificatePath);

        Assert.StartsWith("-----BEGIN CERTIFICATE-----", pem, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", pem, StringComparison.Ordinal);
        Assert.Contains("-----BEGIN PRIVATE KEY-----", File.ReadAllText(deployment.Files.CaKeyPath), StringComparison.Ordinal);
    }

    [Fact]
    public void Ca_is_a_p256_ca_limited_to_signing_certificates()
    {
        using var deployment = new TempDeployment();
        using var ca = deployment.Files.LoadCaCertificate();

        var constraints = ca.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        var usage = ca.Extensions.OfType<X509KeyUsageExtension>().Single();
        using var key = ca.GetECDsaPublicKey();

        Assert.True(constraints.CertificateAuthority && constraints.Critical);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
        Assert.Equal(256, key!.KeySize);
        Assert.InRange(ca.NotAfter - ca.NotBefore, DeploymentCa.CaValidity, DeploymentCa.CaValidity + DeploymentCa.ClockSkewAllowance);
    }

    [Fact]
    public void Server_certificate_is_issued_by_the_ca_for_loopback_and_the_given_names()
    {
        using var deployment = new TempDeployment("chat.example", "192.0.2.7");
        using var server = deployment.Files.LoadServerCertificate();
        using var ca = deployment.Files.LoadCaCertificate();

        var san = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        var eku = server.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.True(server.HasPrivateKey);
        Assert.Equal(ca.Subject, server.Issuer);
        Assert.Equal(["localhost", "chat.example"], san.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("192.0.2.7")], san.EnumerateIPAddresses());
        Assert.Equal(["1.3.6.1.5.5.7.3.1"], eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.False(server.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.InRange(server.NotAfter - server.NotBefore,
            DeploymentCa.ServerCertificateValidity, DeploymentCa.ServerCertificateValidity + DeploymentCa.ClockSkewAllowance);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(server));
    }

    [Fact]
    public void A_name_that_is_neither_dns_nor_ip_is_refused_before_anything_is_written()
    {
        string directory = Path.Combine(Path.GetTempPath(), "securecomms-test-" + Guid.NewGuid().ToString("N"));
        var files = new DeploymentFiles(directory);

        Assert.Throws<ArgumentException>(() => files.Initialize(["bad name!"], DateTimeOffset.UtcNow));
        Assert.False(Directory.Exists(directory));
    }
}
