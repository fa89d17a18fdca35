using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SecureComms.Crypto;

namespace SecureComms.Bench;

/// <summary>
/// <see cref="Aes256Gcm"/> seal and open of one record of <see cref="Size"/> bytes with a 96-bit nonce and
/// a 13-byte AAD (<see cref="OpenSslSpeedShape"/>): 64 B (a control message), 1,200 B (a media or transport
/// record under a typical path MTU) and 16 KiB (a full TLS-sized record).
/// </summary>
/// <remarks>
/// The 1,200-byte seal and open must allocate nothing (MemoryDiagnoser's "Allocated" column: "-"); scripts/bench
/// fails when they do. The same key and nonce are used on every call: harmless for a benchmark over random
/// public data, a catastrophic misuse anywhere else (see <see cref="Aes256Gcm"/> hazards).
/// </remarks>
// Public and unsealed: BenchmarkDotNet derives a runner from benchmark classes, so STYLE.md §6 (sealed by default) cannot apply.
[BenchmarkCategory(BenchCategories.Crypto)]
public class Aes256GcmBenchmarks
{
    private Aes256Gcm _aead = null!;
    private byte[] _nonce = [];
    private byte[] _associatedData = [];
    private byte[] _plaintext = [];
    private byte[] _ciphertext = [];
    private byte[] _tag = [];
    private byte[] _opened = [];

    /// <summary>Payload bytes per record (the name <see cref="ThroughputColumn"/> reads).</summary>
    [Params(64, 1200, 16 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _aead = new Aes256Gcm(RandomNumberGenerator.GetBytes(Aes256Gcm.KeySizeInBytes));
        _nonce = RandomNumberGenerator.GetBytes(Aes256Gcm.NonceSizeInBytes);
        _associatedData = RandomNumberGenerator.GetBytes(OpenSslSpeedShape.AssociatedDataSizeInBytes);
        _plaintext = RandomNumberGenerator.GetBytes(Size);
        _ciphertext = new byte[Size];
        _tag = new byte[Aes256Gcm.TagSizeInBytes];
        _opened = new byte[Size];
        _aead.Seal(_nonce, _plaintext, _ciphertext, _tag, _associatedData);
        // Open is measured on the path every genuine record takes: the tag verifies.
        if (!_aead.TryOpen(_nonce, _ciphertext, _tag, _opened, _associatedData) || !_opened.AsSpan().SequenceEqual(_plaintext))
        {
            throw new InvalidOperationException("AES-256-GCM round trip failed in benchmark setup.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _aead.Dispose();

    [Benchmark]
    public void Seal() => _aead.Seal(_nonce, _plaintext, _ciphertext, _tag, _associatedData);

    [Benchmark]
    public bool Open() => _aead.TryOpen(_nonce, _ciphertext, _tag, _opened, _associatedData);
}
