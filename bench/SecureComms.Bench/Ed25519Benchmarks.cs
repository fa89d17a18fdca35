using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SecureComms.Crypto;

namespace SecureComms.Bench;

/// <summary>
/// <see cref="Ed25519"/> sign and verify of a 20-byte message, as <c>openssl speed ed25519</c> measures them
/// (<see cref="OpenSslSpeedShape"/>).
/// </summary>
// Public and unsealed: BenchmarkDotNet derives a runner from benchmark classes, so STYLE.md §6 (sealed by default) cannot apply.
[BenchmarkCategory(BenchCategories.Crypto)]
public class Ed25519Benchmarks
{
    private Ed25519PrivateKey _privateKey = null!;
    private readonly byte[] _message = RandomNumberGenerator.GetBytes(OpenSslSpeedShape.SignedMessageSizeInBytes);
    private readonly byte[] _validSignature = new byte[Ed25519.SignatureSizeInBytes];
    private readonly byte[] _signatureOutput = new byte[Ed25519.SignatureSizeInBytes];

    [GlobalSetup]
    public void Setup()
    {
        _privateKey = Ed25519PrivateKey.Generate();
        Ed25519.Sign(_privateKey, _message, _validSignature);
        // Verify is measured on a valid signature, the path every genuine message takes.
        if (!Ed25519.Verify(_privateKey.PublicKey, _message, _validSignature))
        {
            throw new InvalidOperationException("Ed25519 sign/verify round trip failed in benchmark setup.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _privateKey.Dispose();

    [Benchmark]
    public void Sign() => Ed25519.Sign(_privateKey, _message, _signatureOutput);

    [Benchmark]
    public bool Verify() => Ed25519.Verify(_privateKey.PublicKey, _message, _validSignature);
}
