using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SecureComms.Cloud.Certificates;
using SecureComms.Crypto;

namespace SecureComms.Server.Tls;

/// <summary>
/// A deployment's key files in its data directory: what <c>securecomms server init --data DIR</c> writes
/// and <c>server run</c> loads.
/// </summary>
/// <remarks>
/// Layout: <see cref="CaCertificateFileName"/> (public: copy it to every client, <c>--ca FILE</c>),
/// <see cref="CaKeyFileName"/> (secret), <see cref="ServerCertificateFileName"/> (public),
/// <see cref="ServerKeyFileName"/> (secret). Keys are unencrypted PKCS#8 PEM (RFC 5958, RFC 7468 §10).
/// The identity-certificate issuer key (issue 5) is <see cref="IssuerKeyFiles.KeyFileName"/> (secret, the raw
/// Ed25519 seed) and <see cref="IssuerKeyFiles.PublicKeyFileName"/> (public: what clients pin to verify their
/// peers' certificates); a deployment made before issue 5 has neither (<see cref="HasIssuerKey"/>) until
/// <see cref="CreateIssuerKey"/> adds them.
/// Hazards: secret files are created with mode 0600 from the start (<see cref="FileStreamOptions.UnixCreateMode"/>,
/// so they are never readable by others, not even briefly) and the directory with 0700 when it is created
/// here; an existing deployment is never overwritten (<see cref="FileMode.CreateNew"/>, so even a concurrent
/// init cannot interleave); private key bytes are wiped from memory after writing.
/// </remarks>
public sealed class DeploymentFiles
{
    /// <summary>The CA certificate, PEM; the only file clients need.</summary>
    public const string CaCertificateFileName = "ca.pem";

    /// <summary>The CA private key, PKCS#8 PEM, mode 0600.</summary>
    public const string CaKeyFileName = "ca.key.pem";

    /// <summary>The server certificate, PEM.</summary>
    public const string ServerCertificateFileName = "server.pem";

    /// <summary>The server private key, PKCS#8 PEM, mode 0600.</summary>
    public const string ServerKeyFileName = "server.key.pem";

    /// <summary>Names always in the server certificate besides the ones given to init: the loopback host.</summary>
    public static readonly IReadOnlyList<string> DefaultDnsNames = ["localhost"];

    /// <summary>Addresses always in the server certificate: IPv4 and IPv6 loopback.</summary>
    public static readonly IReadOnlyList<IPAddress> DefaultIpAddresses = [IPAddress.Loopback, IPAddress.IPv6Loopback];

    private const UnixFileMode SecretFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The files of the deployment in <paramref name="directory"/> (which may not exist yet).</summary>
    public DeploymentFiles(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The data directory, absolute.</summary>
    public string Directory { get; }

    /// <summary>Path of <see cref="CaCertificateFileName"/>.</summary>
    public string CaCertificatePath => Path.Combine(Directory, CaCertificateFileName);

    /// <summary>Path of <see cref="CaKeyFileName"/>.</summary>
    public string CaKeyPath => Path.Combine(Directory, CaKeyFileName);

    /// <summary>Path of <see cref="ServerCertificateFileName"/>.</summary>
    public string ServerCertificatePath => Path.Combine(Directory, ServerCertificateFileName);

    /// <summary>Path of <see cref="ServerKeyFileName"/>.</summary>
    public string ServerKeyPath => Path.Combine(Directory, ServerKeyFileName);

    /// <summary>Path of the issuer's secret key (<see cref="IssuerKeyFiles.KeyFileName"/>), mode 0600.</summary>
    public string IssuerKeyPath => Path.Combine(Directory, IssuerKeyFiles.KeyFileName);

    /// <summary>Path of the issuer's public key (<see cref="IssuerKeyFiles.PublicKeyFileName"/>): what clients pin.</summary>
    public string IssuerPublicKeyPath => Path.Combine(Directory, IssuerKeyFiles.PublicKeyFileName);

    /// <summary>Every file of the deployment.</summary>
    public IEnumerable<string> AllPaths => [CaCertificatePath, CaKeyPath, ServerCertificatePath, ServerKeyPath, IssuerKeyPath, IssuerPublicKeyPath];

    /// <summary>Whether the deployment has an issuer key (one made before issue 5 has not).</summary>
    public bool HasIssuerKey => File.Exists(IssuerKeyPath);

    /// <summary>True when any of the deployment's files exists already.</summary>
    public bool Exists => AllPaths.Any(File.Exists);

    /// <summary>
    /// Creates a deployment: a new CA and a server certificate for <see cref="DefaultDnsNames"/>,
    /// <see cref="DefaultIpAddresses"/> and <paramref name="extraNames"/> (each a DNS name or an IP
    /// address), and the certificate issuer's key pair, written to the directory. Returns the CA certificate
    /// (public part only).
    /// </summary>
    /// <exception cref="DeploymentExistsException">A file of a deployment is already there; nothing was changed.</exception>
    public X509Certificate2 Initialize(IEnumerable<string> extraNames, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(extraNames);
        var dnsNames = new List<string>(DefaultDnsNames);
        var addresses = new List<IPAddress>(DefaultIpAddresses);
        foreach (string name in extraNames)
        {
            if (IPAddress.TryParse(name, out IPAddress? address))
            {
                if (!addresses.Contains(address))
                {
                    addresses.Add(address);
                }
            }
            else if (Uri.CheckHostName(name) == UriHostNameType.Dns)
            {
                if (!dnsNames.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    dnsNames.Add(name);
                }
            }
            else
            {
                throw new ArgumentException($"'{name}' is neither a DNS name nor an IP address.", nameof(extraNames));
            }
        }
        if (Exists)
        {
            throw new DeploymentExistsException(Directory);
        }
        CreateDirectory();

        using DeploymentCa ca = DeploymentCa.Create(now);
        using X509Certificate2 server = ca.IssueServerCertificate(dnsNames, addresses, now);
        // Secrets first: if a key cannot be written, no ca.pem suggests a usable deployment.
        WriteNew(CaKeyPath, ExportPrivateKey(ca.Certificate), secret: true);
        WriteNew(ServerKeyPath, ExportPrivateKey(server), secret: true);
        CreateIssuerKeyCore();
        WriteNew(ServerCertificatePath, Encoding.ASCII.GetBytes(server.ExportCertificatePem()), secret: false);
        WriteNew(CaCertificatePath, Encoding.ASCII.GetBytes(ca.Certificate.ExportCertificatePem()), secret: false);
        return X509CertificateLoader.LoadCertificate(ca.Certificate.RawData);
    }

    /// <summary>The server certificate with its private key, ready for <c>SslStream</c>.</summary>
    /// <exception cref="FileNotFoundException">The deployment was not initialized.</exception>
    /// <exception cref="CryptographicException">A file is not a valid certificate or key.</exception>
    public X509Certificate2 LoadServerCertificate()
    {
        using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(ServerCertificatePath, ServerKeyPath);
        // Round trip through PKCS#12: on Windows SslStream cannot use an ephemeral key from PEM; elsewhere harmless.
        byte[] pkcs12 = pem.Export(X509ContentType.Pkcs12);
        try
        {
            return X509CertificateLoader.LoadPkcs12(pkcs12, password: null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs12);
        }
    }

    /// <summary>The CA certificate (public part), as clients pin it.</summary>
    public X509Certificate2 LoadCaCertificate() => X509Certificate2.CreateFromPem(File.ReadAllText(CaCertificatePath));

    /// <summary>
    /// Adds the issuer key pair to an existing deployment that has none (one made before issue 5): the TLS files are
    /// not touched. Peers' certificates from another issuer key will not verify against the new one.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no deployment in the directory (run init).</exception>
    /// <exception cref="DeploymentExistsException">An issuer key file is there already; nothing was changed.</exception>
    public void CreateIssuerKey()
    {
        if (!File.Exists(ServerCertificatePath))
        {
            throw new FileNotFoundException($"There is no deployment in '{Directory}'.", ServerCertificatePath);
        }
        if (File.Exists(IssuerKeyPath) || File.Exists(IssuerPublicKeyPath))
        {
            throw new DeploymentExistsException(Directory);
        }
        CreateIssuerKeyCore();
    }

    /// <summary>The issuer's secret key (the caller disposes it), or null when the deployment has none
    /// (<see cref="HasIssuerKey"/>).</summary>
    /// <exception cref="InvalidDataException">The file is not a 32-byte seed, or group or others may access it.</exception>
    public Ed25519PrivateKey? LoadIssuerKey() => HasIssuerKey ? IssuerKeyFiles.Load(IssuerKeyPath) : null;

    /// <summary>The issuer's public key, as clients pin it.</summary>
    /// <exception cref="InvalidDataException">The file is not a 32-byte Ed25519 public key.</exception>
    public Ed25519PublicKey LoadIssuerPublicKey() => IssuerKeyFiles.LoadPublic(IssuerPublicKeyPath);

    /// <summary>Writes issuer.key (0600 from creation) then issuer.pub; the key in memory is disposed at once.</summary>
    private void CreateIssuerKeyCore() => IssuerKeyFiles.Create(IssuerKeyPath, IssuerPublicKeyPath).Dispose();

    private void CreateDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else if (!System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.CreateDirectory(Directory, DirectoryMode);
        }
    }

    /// <summary>PKCS#8 PEM of the certificate's ECDSA private key; the caller's buffer is wiped by <see cref="WriteNew"/>.</summary>
    private static byte[] ExportPrivateKey(X509Certificate2 certificate)
    {
        using ECDsa key = certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException("The certificate has no ECDSA private key.");
        byte[] der = key.ExportPkcs8PrivateKey();
        char[]? pem = null;
        try
        {
            pem = PemEncoding.Write("PRIVATE KEY", der);
            byte[] bytes = new byte[pem.Length + 1];
            Encoding.ASCII.GetBytes(pem, bytes);
            bytes[^1] = (byte)'\n';
            return bytes;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
            if (pem is not null)
            {
                Array.Clear(pem);
            }
        }
    }

    /// <summary>Writes a file that must not exist yet; a secret one gets mode 0600 at creation. Wipes <paramref name="contents"/>.</summary>
    private static void WriteNew(string path, byte[] contents, bool secret)
    {
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (secret && !OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = SecretFileMode;
            }
            using var file = new FileStream(path, options);
            file.Write(contents);
            file.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new DeploymentExistsException(Path.GetDirectoryName(path) ?? path);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(contents);
        }
    }
}

/// <summary><c>server init</c> found a deployment already in the directory and changed nothing.</summary>
public sealed class DeploymentExistsException(string directory)
    : Exception($"A deployment already exists in '{directory}'; refusing to overwrite its CA and keys. Use another --data directory, or remove the old one deliberately.")
{
    /// <summary>The data directory.</summary>
    public string Directory { get; } = directory;
}
