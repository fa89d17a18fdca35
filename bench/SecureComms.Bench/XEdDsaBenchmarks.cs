using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SecureComms.Crypto;

namespace SecureComms.Bench;

/// <summary>
/// <see cref="XEdDsa"/> sign (with a fresh 64-byte Z from the CSPRNG, as in real use) and verify of a
/// 20-byte message under an X25519 key pair. OpenSSL has no XEdDSA: scripts/bench sets it beside
/// <c>openssl speed ed25519</c>, the same curve arithmetic without the Montgomery-to-Edwards conversion.
/// </summary>
// Public and unsealed: BenchmarkDotNet derives a runner from benchmark classes, so STYLE.md §6 (sealed by default) cannot apply.
[BenchmarkCategory(BenchCategories.Crypto)]
public class XEdDsaBenchmarks
{
    private X25519PrivateKey _privateKey = null!;
    private readonly byte[] _message = RandomNumberGenerator.GetBytes(OpenSslSpeedShape.SignedMessageSizeInBytes);
    private readonly byte[] _validSignature = new byte[XEdDsa.SignatureSizeInBytes];
    private readonly byte[] _signatureOutput = new byte[XEdDsa.SignatureSizeInBytes];

    [GlobalSetup]
    public void Setup()
    {
        _privateKey = X25519PrivateKey.Generate();
        XEdDsa.Sign(_privateKey, _message, _validSignature);
        // Verify is measured on a valid signature, the path every genuine message takes.
        if (!XEdDsa.Verify(_privateKey.PublicKey, _message, _validSignature))
        {
            throw new InvalidOperationException("XEdDsa sign/verify round trip failed in benchmark setup.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _privateKey.Dispose();

    [Benchmark]
    public void Sign() => XEdDsa.Sign(_privateKey, _message, _signatureOutput);

    [Benchmark]
    public bool Verify() => XEdDsa.Verify(_privateKey.PublicKey, _message, _validSignature);
}
