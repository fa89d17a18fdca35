using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SecureComms.Crypto;

namespace SecureComms.Bench;

/// <summary>
/// <see cref="X25519.Agree"/> between two keys made beforehand: the agreement alone, as
/// <c>openssl speed ecdhx25519</c> measures it (<see cref="OpenSslSpeedShape"/>).
/// </summary>
// Public and unsealed: BenchmarkDotNet derives a runner from benchmark classes, so STYLE.md §6 (sealed by default) cannot apply.
[BenchmarkCategory(BenchCategories.Crypto)]
public class X25519Benchmarks
{
    private X25519PrivateKey _privateKey = null!;
    private X25519PublicKey _peerPublicKey = null!;
    private readonly byte[] _sharedSecret = new byte[X25519.SharedSecretSizeInBytes];

    [GlobalSetup]
    public void Setup()
    {
        _privateKey = X25519PrivateKey.Generate();
        using var peer = X25519PrivateKey.Generate();
        _peerPublicKey = peer.PublicKey;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _privateKey.Dispose();
        CryptographicOperations.ZeroMemory(_sharedSecret);
    }

    [Benchmark]
    public AgreementResult Agree() => X25519.Agree(_privateKey, _peerPublicKey, _sharedSecret);
}
