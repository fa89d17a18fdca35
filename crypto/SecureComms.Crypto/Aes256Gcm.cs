using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;

namespace SecureComms.Crypto;

/// <summary>
/// AES-256-GCM authenticated encryption with a detached 128-bit tag.
/// </summary>
/// <remarks>
/// <para><b>References.</b> NIST SP 800-38D; McGrew and Viega, "The Galois/Counter Mode of Operation";
/// RFC 5116 §5.2 (AEAD_AES_256_GCM).</para>
/// <para><b>Parameters.</b> Key <see cref="KeySizeInBytes"/> = 32, nonce <see cref="NonceSizeInBytes"/> = 12
/// (the recommended size; other lengths of at least one byte are accepted and derive the counter block with
/// GHASH, SP 800-38D §7.1, for conformance with published vectors), tag <see cref="TagSizeInBytes"/> = 16.
/// Plaintext length is bounded by <see cref="Span{T}"/> (below the SP 800-38D limit of 2^39 - 256 bits).</para>
/// <para><b>Implementation.</b> 96-bit nonces: <see cref="AesGcm"/> (OpenSSL on Linux), no allocation per
/// call. Other nonce lengths: BouncyCastle <see cref="GcmBlockCipher"/>.</para>
/// <para><b>Hazards.</b> Never reuse a (key, nonce) pair: a repeat reveals the XOR of plaintexts and the
/// GHASH key, and with it forgeries. Use counters, not random 96-bit nonces, beyond 2^32 messages per key.
/// A failed <see cref="TryOpen"/> zeroes the plaintext buffer, so unauthenticated plaintext never reaches
/// the caller (STYLE.md §12). On the BouncyCastle path (non-96-bit nonces only) BouncyCastle keeps
/// copies of the key and its schedule that this wrapper cannot wipe; protocol code uses 96-bit nonces.</para>
/// </remarks>
public sealed class Aes256Gcm : IDisposable
{
    /// <summary>Key size: 256 bits.</summary>
    public const int KeySizeInBytes = 256 / 8;

    /// <summary>Recommended nonce size: 96 bits.</summary>
    public const int NonceSizeInBytes = 96 / 8;

    /// <summary>Tag size: 128 bits (no truncation).</summary>
    public const int TagSizeInBytes = 128 / 8;

    private readonly AesGcm _aesGcm;
    private readonly SymmetricKey _key;

    /// <summary>Creates an instance bound to <paramref name="key"/> (32 bytes, copied).</summary>
    public Aes256Gcm(ReadOnlySpan<byte> key)
    {
        _key = SymmetricKey.Import(key); // checks the 32-byte length, naming "key"
        _aesGcm = new AesGcm(key, TagSizeInBytes);
    }

    /// <summary>Creates an instance bound to <paramref name="key"/>.</summary>
    public Aes256Gcm(SymmetricKey key) : this(KeyBytes(key)) { }

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/> (same length) and writes the tag.</summary>
    public void Seal(
        ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> plaintext,
        Span<byte> ciphertext,
        Span<byte> tag,
        ReadOnlySpan<byte> associatedData = default)
    {
        CheckParameters(nonce, plaintext, ciphertext, tag);
        if (nonce.Length == NonceSizeInBytes)
        {
            _aesGcm.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
        }
        else
        {
            SealWithBouncyCastle(nonce, plaintext, ciphertext, tag, associatedData);
        }
    }

    /// <summary>
    /// Authenticates and decrypts. Returns false, with <paramref name="plaintext"/> zeroed, when the tag does
    /// not verify; nothing about the failure is revealed beyond that.
    /// </summary>
    public bool TryOpen(
        ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> ciphertext,
        ReadOnlySpan<byte> tag,
        Span<byte> plaintext,
        ReadOnlySpan<byte> associatedData = default)
    {
        CheckParameters(nonce, plaintext, ciphertext, tag);
        // Stryker disable once Conditional : both paths compute the same function; the platform path is the zero-allocation one (Contracts/HotPathAllocationTests).
        bool ok = nonce.Length == NonceSizeInBytes
            ? OpenWithPlatform(nonce, ciphertext, tag, plaintext, associatedData)
            : OpenWithBouncyCastle(nonce, ciphertext, tag, plaintext, associatedData);
        if (!ok)
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
        return ok;
    }

    /// <summary>Releases the key schedule and wipes the key copy.</summary>
    public void Dispose()
    {
        _aesGcm.Dispose();
        _key.Dispose();
    }

    /// <summary>Shows the algorithm only.</summary>
    public override string ToString() => "AES-256-GCM";

    private static ReadOnlySpan<byte> KeyBytes(SymmetricKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Bytes;
    }

    private void CheckParameters(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag)
    {
        // Stryker disable once all : equivalent; both implementations throw ObjectDisposedException too, this names Aes256Gcm.
        ObjectDisposedException.ThrowIf(_key.IsDisposed, this);
        if (nonce.IsEmpty)
        {
            throw new ArgumentException("Nonce must not be empty.", nameof(nonce));
        }
        if (plaintext.Length != ciphertext.Length)
        {
            throw new ArgumentException("Plaintext and ciphertext must have the same length.", nameof(ciphertext));
        }
        if (tag.Length != TagSizeInBytes)
        {
            throw new ArgumentException($"Tag must be {TagSizeInBytes} bytes.", nameof(tag));
        }
    }

    private bool OpenWithPlatform(
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag,
        Span<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        try
        {
            _aesGcm.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    private GcmBlockCipher CreateBouncyCastleCipher(bool forEncryption, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData)
    {
        var cipher = new GcmBlockCipher(AesUtilities.CreateEngine());
        cipher.Init(forEncryption, new AeadParameters(new KeyParameter(_key.Bytes), TagSizeInBytes * 8, nonce.ToArray()));
        cipher.ProcessAadBytes(associatedData);
        return cipher;
    }

    private void SealWithBouncyCastle(
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext,
        Span<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        var cipher = CreateBouncyCastleCipher(forEncryption: true, nonce, associatedData);
        byte[] output = new byte[plaintext.Length + TagSizeInBytes];
        int written = cipher.ProcessBytes(plaintext, output);
        cipher.DoFinal(output.AsSpan(written));
        output.AsSpan(0, plaintext.Length).CopyTo(ciphertext);
        output.AsSpan(plaintext.Length, TagSizeInBytes).CopyTo(tag);
    }

    private bool OpenWithBouncyCastle(
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag,
        Span<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var cipher = CreateBouncyCastleCipher(forEncryption: false, nonce, associatedData);
        byte[] input = [.. ciphertext, .. tag];
        byte[] output = new byte[ciphertext.Length];
        try
        {
            int written = cipher.ProcessBytes(input, output);
            cipher.DoFinal(output.AsSpan(written));
            output.CopyTo(plaintext);
            return true;
        }
        catch (InvalidCipherTextException)
        {
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(output);
        }
    }
}
