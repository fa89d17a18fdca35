using System.Security.Cryptography;
using SecureComms.Crypto;

namespace SecureComms.Channel.Noise;

/// <summary>
/// Noise §5.1 <c>CipherState</c>: a cipher key <c>k</c> (possibly empty) and a 64-bit nonce <c>n</c>, with
/// AESGCM as the cipher: ENCRYPT(k, n, ad, p) = AES-256-GCM(k, 0³² ‖ BE64(n), ad, p) ‖ tag (§12.4).
/// </summary>
/// <remarks>
/// <para><b>References.</b> Noise rev. 34 §4.2 (ENCRYPT, DECRYPT, REKEY), §5.1, §11.3 (Rekey), §11.4 (SetNonce), §12.4.</para>
/// <para><b>Parameters.</b> Key 32 bytes, nonce 96 bits built by <see cref="NonceCounter.Write"/>, tag 16 bytes;
/// a ciphertext is at most <see cref="NoiseLimits.MaxMessageLength"/> bytes.</para>
/// <para><b>Policy.</b> <c>n</c> = 2^64 − 1 is reserved: once <c>n</c> reaches it, EncryptWithAd and DecryptWithAd
/// refuse with <see cref="NoiseError.NonceExhausted"/> and the session must end (§5). A failed DecryptWithAd does
/// not advance <c>n</c> and zeroes the plaintext buffer, so unauthenticated plaintext never reaches the caller.
/// With an empty key both functions copy their input (the handshake's cleartext phase).</para>
/// <para><b>Hazards.</b> Never run two CipherStates with the same key and nonce (half-duplex misuse, §11.5);
/// <see cref="SetNonce"/> is for out-of-order transports that track received nonces themselves (§11.4), and
/// setting it back re-uses nonces for encryption. Not thread-safe: the owner serialises calls.</para>
/// </remarks>
public sealed class CipherState : IDisposable
{
    private Aes256Gcm? _k;
    private ulong _n;
    private bool _disposed;

    /// <summary>A CipherState with an empty key (§5.2 InitializeSymmetric calls InitializeKey(empty)).</summary>
    public CipherState() { }

    /// <summary>§5.1 <c>n</c>: the nonce the next EncryptWithAd or DecryptWithAd uses (public data).</summary>
    public ulong Nonce => _n;

    /// <summary>§5.1 InitializeKey(key): sets <c>k</c> (32 bytes, copied; empty for no key) and <c>n</c> = 0.</summary>
    public void InitializeKey(ReadOnlySpan<byte> key)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!key.IsEmpty && key.Length != NoiseLimits.KeyLength)
        {
            throw new ArgumentException($"Cipher key must be empty or {NoiseLimits.KeyLength} bytes.", nameof(key));
        }
        _k?.Dispose();
        _k = key.IsEmpty ? null : new Aes256Gcm(key);
        _n = 0;
    }

    /// <summary>§5.1 HasKey(): whether <c>k</c> is non-empty.</summary>
    public bool HasKey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _k is not null;
    }

    /// <summary>§5.1 SetNonce(nonce): sets <c>n</c> (§11.4; the caller rejects repeats).</summary>
    public void SetNonce(ulong nonce)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _n = nonce;
    }

    /// <summary>The ciphertext length for a plaintext of <paramref name="plaintextLength"/> bytes under the current key.</summary>
    public int CiphertextLength(int plaintextLength) => _k is null ? plaintextLength : plaintextLength + NoiseLimits.TagLength;

    /// <summary>
    /// §5.1 EncryptWithAd(ad, plaintext): ENCRYPT(k, n++, ad, plaintext) into <paramref name="ciphertext"/>
    /// (plaintext length + 16), or a copy of the plaintext when <c>k</c> is empty. Returns the bytes written.
    /// </summary>
    /// <exception cref="NoiseException"><see cref="NoiseError.NonceExhausted"/>: <c>n</c> is 2^64 − 1.</exception>
    public int EncryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int length = CiphertextLength(plaintext.Length);
        if (length > NoiseLimits.MaxMessageLength)
        {
            throw new ArgumentException($"Plaintext of {plaintext.Length} bytes exceeds the {NoiseLimits.MaxMessageLength}-byte message limit.", nameof(plaintext));
        }
        if (ciphertext.Length < length)
        {
            throw new ArgumentException($"Ciphertext buffer must hold {length} bytes.", nameof(ciphertext));
        }
        if (_k is null)
        {
            plaintext.CopyTo(ciphertext);
            return length;
        }
        ThrowIfExhausted();
        Span<byte> nonce = stackalloc byte[NonceCounter.NonceSizeInBytes];
        NonceCounter.Write(_n, nonce);
        _k.Seal(nonce, plaintext, ciphertext[..plaintext.Length], ciphertext.Slice(plaintext.Length, NoiseLimits.TagLength), ad);
        _n++;
        return length;
    }

    /// <summary>
    /// §5.1 DecryptWithAd(ad, ciphertext): DECRYPT(k, n++, ad, ciphertext) into <paramref name="plaintext"/>
    /// (ciphertext length − 16), or a copy when <c>k</c> is empty. Returns the bytes written. On failure <c>n</c> is
    /// unchanged and <paramref name="plaintext"/> is zeroed.
    /// </summary>
    /// <exception cref="NoiseException"><see cref="NoiseError.DecryptionFailed"/> (tag, or shorter than a tag),
    /// <see cref="NoiseError.MessageTooLarge"/>, or <see cref="NoiseError.NonceExhausted"/>.</exception>
    public int DecryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ciphertext.Length > NoiseLimits.MaxMessageLength)
        {
            throw new NoiseException(NoiseError.MessageTooLarge, $"Ciphertext of {ciphertext.Length} bytes exceeds {NoiseLimits.MaxMessageLength}.");
        }
        if (_k is null)
        {
            if (plaintext.Length < ciphertext.Length)
            {
                throw new ArgumentException($"Plaintext buffer must hold {ciphertext.Length} bytes.", nameof(plaintext));
            }
            ciphertext.CopyTo(plaintext);
            return ciphertext.Length;
        }
        if (ciphertext.Length < NoiseLimits.TagLength)
        {
            throw new NoiseException(NoiseError.DecryptionFailed, $"Ciphertext of {ciphertext.Length} bytes is shorter than its {NoiseLimits.TagLength}-byte tag.");
        }
        int length = ciphertext.Length - NoiseLimits.TagLength;
        if (plaintext.Length < length)
        {
            throw new ArgumentException($"Plaintext buffer must hold {length} bytes.", nameof(plaintext));
        }
        ThrowIfExhausted();
        Span<byte> nonce = stackalloc byte[NonceCounter.NonceSizeInBytes];
        NonceCounter.Write(_n, nonce);
        if (!_k.TryOpen(nonce, ciphertext[..length], ciphertext[length..], plaintext[..length], ad))
        {
            throw new NoiseException(NoiseError.DecryptionFailed, "Authentication tag did not verify.");
        }
        _n++;
        return length;
    }

    /// <summary>
    /// §4.2 / §11.3 Rekey(): <c>k</c> = the first 32 bytes of ENCRYPT(k, 2^64 − 1, zerolen, zeros); <c>n</c> is kept.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>k</c> is empty.</exception>
    public void Rekey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_k is null)
        {
            throw new InvalidOperationException("Rekey needs a cipher key.");
        }
        Aes256Gcm next = Rekey(_k);
        _k.Dispose();
        _k = next;
    }

    /// <summary>§4.2 REKEY(k) = the first 32 bytes of ENCRYPT(k, maxnonce, zerolen, zeros): a new key object;
    /// <paramref name="k"/> is unchanged (the record layer keeps it for late records).</summary>
    internal static Aes256Gcm Rekey(Aes256Gcm k)
    {
        Span<byte> nonce = stackalloc byte[NonceCounter.NonceSizeInBytes];
        NonceCounter.Write(NoiseLimits.ReservedNonce, nonce);
        Span<byte> zeros = stackalloc byte[NoiseLimits.KeyLength];
        zeros.Clear();
        Span<byte> newKey = stackalloc byte[NoiseLimits.KeyLength];
        Span<byte> tag = stackalloc byte[NoiseLimits.TagLength];
        try
        {
            k.Seal(nonce, zeros, newKey, tag);
            return new Aes256Gcm(newKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(newKey);
            CryptographicOperations.ZeroMemory(tag);
        }
    }

    /// <summary>
    /// Hands <c>k</c> over to a record layer that builds its own nonces (§11.4, Records/RecordKey): returns the key
    /// object, never its bytes, and leaves this CipherState disposed so the same key can never also encrypt here
    /// with an overlapping nonce.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>k</c> is empty.</exception>
    internal Aes256Gcm TakeKey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var key = _k ?? throw new InvalidOperationException("No cipher key to hand over.");
        _k = null;
        _disposed = true;
        return key;
    }

    /// <summary>Wipes the key. Idempotent.</summary>
    public void Dispose()
    {
        _k?.Dispose();
        _k = null;
        _disposed = true;
    }

    /// <summary>Shows the cipher, whether a key is set and the nonce; never the key.</summary>
    public override string ToString() => $"CipherState(AESGCM, {(_k is null ? "no key" : "keyed")}, n={_n})";

    private void ThrowIfExhausted()
    {
        if (_n == NoiseLimits.ReservedNonce)
        {
            throw new NoiseException(NoiseError.NonceExhausted, "Nonce 2^64-1 is reserved: the session must end.");
        }
    }
}
