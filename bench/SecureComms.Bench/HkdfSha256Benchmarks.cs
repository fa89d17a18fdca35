using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SecureComms.Crypto;

namespace SecureComms.Bench;

/// <summary>
/// <see cref="HkdfSha256.DeriveKey"/> (extract, then expand to 64 bytes: one HMAC for the PRK, two for
/// T(1) ‖ T(2)), the shape of Signal's KDF_RK, which derives a root key and a chain key at once.
/// <c>openssl speed</c> has no HKDF, so this figure has no OpenSSL counterpart.
/// </summary>
// Public and unsealed: BenchmarkDotNet derives a runner from benchmark classes, so STYLE.md §6 (sealed by default) cannot apply.
[BenchmarkCategory(BenchCategories.Crypto)]
public class HkdfSha256Benchmarks
{
    /// <summary>Output length: two 256-bit keys.</summary>
    public const int OutputSizeInBytes = 2 * SymmetricKey.SizeInBytes;

    private static readonly byte[] Info = "SecureComms benchmark"u8.ToArray();
    // Input keying material of a DH output's size, as in KDF_RK(rk, DH(...)).
    private readonly byte[] _inputKeyingMaterial = RandomNumberGenerator.GetBytes(X25519.SharedSecretSizeInBytes);
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(HkdfSha256.PrkSizeInBytes);
    private readonly byte[] _output = new byte[OutputSizeInBytes];

    [Benchmark]
    public void DeriveKey() => HkdfSha256.DeriveKey(_inputKeyingMaterial, _salt, Info, _output);
}
