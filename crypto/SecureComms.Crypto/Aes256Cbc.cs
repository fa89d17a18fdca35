using System.Security.Cryptography;

namespace SecureComms.Crypto;

/// <summary>
/// AES-256-CBC with PKCS#7 padding: Signal's classic message cipher (encrypt-then-MAC with HMAC-SHA256).
/// </summary>
/// <remarks>
/// <para><b>References.</b> NIST SP 800-38A §6.2 (CBC); RFC 5652 §6.3 (PKCS#7 padding); Signal Double Ratchet
/// §5.2 (recommended cryptographic algorithms: AES-256-CBC with PKCS#7, HMAC-SHA256).</para>
/// <para><b>Parameters.</b> Key 32 bytes, IV <see cref="IvSizeInBytes"/> = 16, block 16; ciphertext is the
/// plaintext rounded up to the next whole block (a full block of padding when already aligned).</para>
/// <para><b>Implementation.</b> <see cref="Aes"/> (OpenSSL on Linux).</para>
/// <para><b>Hazards.</b> CBC is not authenticated: decrypt only after the MAC over the ciphertext has
/// verified, or the padding check becomes a padding oracle. IVs must be unpredictable or, as in Signal,
/// derived together with a key that is used once.</para>
/// </remarks>
public sealed class Aes256Cbc : IDisposable
{
    /// <summary>Key size: 256 bits.</summary>
    public const int KeySizeInBytes = 256 / 8;

    /// <summary>IV and block size: 128 bits.</summary>
    public const int IvSizeInBytes = 128 / 8;

    private readonly Aes _aes;
    private bool _disposed;

    /// <summary>Creates an instance bound to <paramref name="key"/> (32 bytes).</summary>
    public Aes256Cbc(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySizeInBytes)
        {
            throw new ArgumentException($"Key must be {KeySizeInBytes} bytes.", nameof(key));
        }
        _aes = Aes.Create();
        _aes.SetKey(key);
    }

    /// <summary>Ciphertext length for a plaintext of <paramref name="plaintextLength"/> bytes.</summary>
    public static int CiphertextLength(int plaintextLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plaintextLength);
        return (plaintextLength / IvSizeInBytes + 1) * IvSizeInBytes; // overflow-checked project-wide
    }

    /// <summary>Encrypts and pads; returns the number of bytes written (<see cref="CiphertextLength"/>).</summary>
    public int Encrypt(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckIv(iv);
        int length = CiphertextLength(plaintext.Length);
        if (ciphertext.Length < length)
        {
            throw new ArgumentException($"Ciphertext buffer must hold {length} bytes.", nameof(ciphertext));
        }
        return _aes.EncryptCbc(plaintext, iv, ciphertext, PaddingMode.PKCS7);
    }

    /// <summary>
    /// Decrypts and removes the padding. Returns false, with <paramref name="plaintext"/> zeroed, when the
    /// ciphertext is not a whole number of blocks or the padding is malformed.
    /// </summary>
    public bool TryDecrypt(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext, out int written)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckIv(iv);
        if (plaintext.Length < ciphertext.Length)
        {
            throw new ArgumentException($"Plaintext buffer must hold {ciphertext.Length} bytes.", nameof(plaintext));
        }
        written = 0;
        try
        {
            // An empty or partial-block ciphertext and malformed padding all raise CryptographicException.
            written = _aes.DecryptCbc(ciphertext, iv, plaintext, PaddingMode.PKCS7);
            return true;
        }
        catch (CryptographicException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return false;
        }
    }

    /// <summary>Releases the key. Any use afterwards throws <see cref="ObjectDisposedException"/>: a disposed
    /// <see cref="Aes"/> would otherwise generate a fresh random key and carry on silently.</summary>
    public void Dispose()
    {
        _aes.Dispose();
        _disposed = true;
    }

    /// <summary>Shows the algorithm only.</summary>
    public override string ToString() => "AES-256-CBC-PKCS7";

    private static void CheckIv(ReadOnlySpan<byte> iv)
    {
        if (iv.Length != IvSizeInBytes)
        {
            throw new ArgumentException($"IV must be {IvSizeInBytes} bytes.", nameof(iv));
        }
    }
}
