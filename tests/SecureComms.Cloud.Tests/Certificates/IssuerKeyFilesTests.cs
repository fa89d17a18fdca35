using SecureComms.Cloud.Certificates;
using static SecureComms.Cloud.Tests.Certificates.CertificateFixture;

namespace SecureComms.Cloud.Tests.Certificates;

/// <summary>The issuer key pair on disk: created 0600, loaded back to the same key, never overwritten.</summary>
public sealed class IssuerKeyFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("securecomms-issuer-").FullName;

    private string KeyPath => Path.Combine(_directory, IssuerKeyFiles.KeyFileName);

    private string PublicKeyPath => Path.Combine(_directory, IssuerKeyFiles.PublicKeyFileName);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Created_key_loads_back_and_signs_verifiable_certificates()
    {
        using var created = IssuerKeyFiles.Create(KeyPath, PublicKeyPath);
        using var loaded = IssuerKeyFiles.Load(KeyPath);
        var publicKey = IssuerKeyFiles.LoadPublic(PublicKeyPath);

        Assert.Equal(created.PublicKey, loaded.PublicKey);
        Assert.Equal(created.PublicKey, publicKey);
        var certificate = new CertificateIssuer(loaded).Issue("alice", 42, AliceKey, Now);
        Assert.Equal(CertificateStatus.Valid, CertificateVerifier.Verify(certificate.Serialized, publicKey, "alice", AliceKey, Now, TimeSpan.Zero).Status);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
        }
    }

    [Fact]
    public void Create_never_overwrites()
    {
        using (IssuerKeyFiles.Create(KeyPath, PublicKeyPath))
        {
        }
        byte[] before = File.ReadAllBytes(KeyPath);
        Assert.ThrowsAny<IOException>(() => IssuerKeyFiles.Create(KeyPath, PublicKeyPath));
        Assert.ThrowsAny<IOException>(() => IssuerKeyFiles.Create(KeyPath, Path.Combine(_directory, "other.pub")));
        Assert.Equal(before, File.ReadAllBytes(KeyPath));
    }

    [Fact]
    public void Load_refuses_a_key_others_can_read_or_of_the_wrong_size()
    {
        using (IssuerKeyFiles.Create(KeyPath, PublicKeyPath))
        {
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            Assert.Throws<InvalidDataException>(() => IssuerKeyFiles.Load(KeyPath));
            File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.WriteAllBytes(KeyPath, new byte[31]);
        Assert.Throws<InvalidDataException>(() => IssuerKeyFiles.Load(KeyPath));
        File.WriteAllBytes(PublicKeyPath, new byte[33]);
        Assert.Throws<InvalidDataException>(() => IssuerKeyFiles.LoadPublic(PublicKeyPath));
    }
}
