using System.Security.Cryptography;
using SecureComms.Crypto;

namespace SecureComms.Cloud.Certificates;

/// <summary>
/// The issuer key pair on disk, as pure functions over paths: the server keeps <see cref="KeyFileName"/>
/// (secret) and <see cref="PublicKeyFileName"/> (public: what clients pin) in its deployment folder.
/// </summary>
/// <remarks>
/// Format: <see cref="KeyFileName"/> is the raw 32-byte Ed25519 seed (RFC 8032 §5.1.5), mode 0600 from creation;
/// <see cref="PublicKeyFileName"/> the raw 32-byte public key. Hazards: an existing file is never overwritten
/// (<see cref="FileMode.CreateNew"/>); on Unix a key file readable or writable by group or others is refused at
/// load; seed bytes are wiped from memory after use.
/// </remarks>
public static class IssuerKeyFiles
{
    /// <summary>The secret issuer key file name.</summary>
    public const string KeyFileName = "issuer.key";

    /// <summary>The public issuer key file name.</summary>
    public const string PublicKeyFileName = "issuer.pub";

    private const UnixFileMode SecretFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates a fresh issuer key pair at the two paths (neither may exist) and returns the key.</summary>
    /// <exception cref="IOException">A file exists already, or cannot be written.</exception>
    public static Ed25519PrivateKey Create(string keyPath, string publicKeyPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(publicKeyPath);
        if (File.Exists(publicKeyPath))
        {
            throw new IOException($"'{publicKeyPath}' exists already; refusing to overwrite an issuer key.");
        }
        byte[] seed = new byte[Ed25519PrivateKey.SeedSizeInBytes];
        try
        {
            using (var generated = Ed25519PrivateKey.Generate(exportable: true))
            {
                generated.Export(seed);
            }
            WriteNew(keyPath, seed, secret: true);
            var key = Ed25519PrivateKey.Import(seed);
            WriteNew(publicKeyPath, key.PublicKey.Bytes.ToArray(), secret: false);
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Loads the issuer key from <paramref name="keyPath"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a 32-byte seed, or others may read it.</exception>
    public static Ed25519PrivateKey Load(string keyPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyPath);
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(keyPath) & GroupOrOther) != 0)
        {
            throw new InvalidDataException($"'{keyPath}' is accessible to group or others; it must be mode 0600.");
        }
        byte[] seed = File.ReadAllBytes(keyPath);
        try
        {
            if (seed.Length != Ed25519PrivateKey.SeedSizeInBytes)
            {
                throw new InvalidDataException($"'{keyPath}' is not a {Ed25519PrivateKey.SeedSizeInBytes}-byte Ed25519 seed.");
            }
            return Ed25519PrivateKey.Import(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Loads the issuer public key from <paramref name="publicKeyPath"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a 32-byte key.</exception>
    public static Ed25519PublicKey LoadPublic(string publicKeyPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(publicKeyPath);
        return Ed25519PublicKey.TryDecode(File.ReadAllBytes(publicKeyPath), out var key)
            ? key!
            : throw new InvalidDataException($"'{publicKeyPath}' is not a {Ed25519PublicKey.SizeInBytes}-byte Ed25519 public key.");
    }

    private static void WriteNew(string path, byte[] contents, bool secret)
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
}
