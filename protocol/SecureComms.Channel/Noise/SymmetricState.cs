using System.Security.Cryptography;
using SecureComms.Crypto;

namespace SecureComms.Channel.Noise;

/// <summary>
/// Noise §5.2 <c>SymmetricState</c>: a <see cref="CipherState"/> plus the chaining key <c>ck</c> and the handshake
/// hash <c>h</c>, with SHA256 as HASH and HKDF(ck, ikm, n) = RFC 5869 HKDF-SHA256(salt = ck, ikm, info = empty),
/// cut into n outputs of HASHLEN bytes (§4.3).
/// </summary>
/// <remarks>
/// <para><b>References.</b> Noise rev. 34 §4.3 (HKDF), §5.2, §9.1 (MixKeyAndHash), §12.5.</para>
/// <para><b>Formulas.</b> MixKey(ikm): ck, temp_k = HKDF(ck, ikm, 2); InitializeKey(temp_k).
/// MixHash(data): h = SHA256(h ‖ data). MixKeyAndHash(ikm): ck, temp_h, temp_k = HKDF(ck, ikm, 3); MixHash(temp_h);
/// InitializeKey(temp_k). EncryptAndHash(p): c = EncryptWithAd(h, p); MixHash(c). DecryptAndHash(c): p =
/// DecryptWithAd(h, c); MixHash(c). Split(): temp_k1, temp_k2 = HKDF(ck, zerolen, 2).</para>
/// <para><b>Secrets.</b> <c>ck</c> lives in a <see cref="ChainingKey"/> container, replaced (and the old one
/// wiped) on every mix; HKDF outputs are stack buffers wiped in <c>finally</c>. <c>h</c> is not secret (it is
/// the channel binding, §11.2) but is wiped on dispose anyway.</para>
/// <para><b>Hazards.</b> A DecryptAndHash that fails leaves <c>h</c> unchanged, but the handshake that called it
/// must be abandoned (§5). Not thread-safe.</para>
/// </remarks>
public sealed class SymmetricState : IDisposable
{
    private readonly CipherState _cipher = new();
    private readonly byte[] _h = new byte[NoiseLimits.HashLength];
    private ChainingKey _ck;
    private bool _disposed;

    /// <summary>§5.2 InitializeSymmetric(protocol_name): h = name padded with zeros (or SHA256(name) if longer than
    /// HASHLEN), ck = h, k = empty.</summary>
    public SymmetricState(ReadOnlySpan<byte> protocolName)
    {
        if (protocolName.Length <= NoiseLimits.HashLength)
        {
            protocolName.CopyTo(_h);
        }
        else
        {
            Sha256.Hash(protocolName, _h);
        }
        _ck = new ChainingKey(_h);
        _cipher.InitializeKey([]);
    }

    /// <summary>§5.1 HasKey() of the inner CipherState.</summary>
    public bool HasKey() => _cipher.HasKey();

    /// <summary>§5.2 GetHandshakeHash(): a copy of <c>h</c>.</summary>
    public byte[] GetHandshakeHash()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (byte[])_h.Clone();
    }

    /// <summary>§5.2 MixKey(input_key_material): ck, temp_k = HKDF(ck, ikm, 2); InitializeKey(temp_k).</summary>
    public void MixKey(ReadOnlySpan<byte> inputKeyMaterial)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> output = stackalloc byte[2 * NoiseLimits.HashLength];
        try
        {
            Hkdf(inputKeyMaterial, output);
            ReplaceChainingKey(output[..NoiseLimits.HashLength]);
            _cipher.InitializeKey(output[NoiseLimits.HashLength..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(output);
        }
    }

    /// <summary>§5.2 MixHash(data): h = SHA256(h ‖ data).</summary>
    public void MixHash(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(_h);
        hash.AppendData(data);
        if (!hash.TryGetHashAndReset(_h, out int written) || written != NoiseLimits.HashLength)
        {
            throw new CryptographicException("SHA-256 did not produce 32 bytes.");
        }
    }

    /// <summary>§5.2 / §9.1 MixKeyAndHash(input_key_material): ck, temp_h, temp_k = HKDF(ck, ikm, 3); MixHash(temp_h);
    /// InitializeKey(temp_k).</summary>
    public void MixKeyAndHash(ReadOnlySpan<byte> inputKeyMaterial)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> output = stackalloc byte[3 * NoiseLimits.HashLength];
        try
        {
            Hkdf(inputKeyMaterial, output);
            ReplaceChainingKey(output[..NoiseLimits.HashLength]);
            MixHash(output.Slice(NoiseLimits.HashLength, NoiseLimits.HashLength));
            _cipher.InitializeKey(output[(2 * NoiseLimits.HashLength)..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(output);
        }
    }

    /// <summary>The length EncryptAndHash produces for <paramref name="plaintextLength"/> bytes under the current key.</summary>
    public int CiphertextLength(int plaintextLength) => _cipher.CiphertextLength(plaintextLength);

    /// <summary>§5.2 EncryptAndHash(plaintext): ciphertext = EncryptWithAd(h, plaintext); MixHash(ciphertext).
    /// Returns the bytes written to <paramref name="ciphertext"/>.</summary>
    public int EncryptAndHash(ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int written = _cipher.EncryptWithAd(_h, plaintext, ciphertext);
        MixHash(ciphertext[..written]);
        return written;
    }

    /// <summary>§5.2 DecryptAndHash(ciphertext): plaintext = DecryptWithAd(h, ciphertext); MixHash(ciphertext).
    /// Returns the bytes written to <paramref name="plaintext"/>; on failure <c>h</c> is unchanged.</summary>
    /// <exception cref="NoiseException">The tag did not verify (<see cref="NoiseError.DecryptionFailed"/>).</exception>
    public int DecryptAndHash(ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int written = _cipher.DecryptWithAd(_h, ciphertext, plaintext);
        MixHash(ciphertext);
        return written;
    }

    /// <summary>§5.2 Split(): temp_k1, temp_k2 = HKDF(ck, zerolen, 2); returns (c1, c2) keyed with them: c1 for
    /// initiator → responder, c2 for responder → initiator. The caller owns both.</summary>
    public (CipherState InitiatorToResponder, CipherState ResponderToInitiator) Split()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> output = stackalloc byte[2 * NoiseLimits.HashLength];
        var c1 = new CipherState();
        var c2 = new CipherState();
        try
        {
            Hkdf([], output);
            c1.InitializeKey(output[..NoiseLimits.KeyLength]);
            c2.InitializeKey(output.Slice(NoiseLimits.HashLength, NoiseLimits.KeyLength));
            return (c1, c2);
        }
        catch
        {
            c1.Dispose();
            c2.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(output);
        }
    }

    /// <summary>Wipes <c>ck</c>, <c>h</c> and <c>k</c>. Idempotent.</summary>
    public void Dispose()
    {
        _ck.Dispose();
        _cipher.Dispose();
        CryptographicOperations.ZeroMemory(_h);
        _disposed = true;
    }

    /// <summary>Shows the suite only.</summary>
    public override string ToString() => "SymmetricState(SHA256)";

    /// <summary>
    /// §4.3 HKDF(ck, ikm, n) for n = output.Length / HASHLEN, as the spec writes it with HMAC-SHA256:
    /// temp_key = HMAC(ck, ikm); output1 = HMAC(temp_key, 0x01); output_i = HMAC(temp_key, output_{i-1} ‖ i).
    /// (RFC 5869 with salt ck and empty info; written out because the platform's HKDF refuses the zero-length
    /// ikm that Split uses.) temp_key and the HMAC input are wiped.
    /// </summary>
    private void Hkdf(ReadOnlySpan<byte> inputKeyMaterial, Span<byte> output)
    {
        Span<byte> tempKey = stackalloc byte[NoiseLimits.HashLength];
        Span<byte> block = stackalloc byte[NoiseLimits.HashLength + 1];
        try
        {
            HmacSha256.Compute(_ck.Bytes, inputKeyMaterial, tempKey);
            for (int i = 0; i < output.Length / NoiseLimits.HashLength; i++)
            {
                var input = i == 0 ? block[NoiseLimits.HashLength..] : block;
                if (i > 0)
                {
                    output.Slice((i - 1) * NoiseLimits.HashLength, NoiseLimits.HashLength).CopyTo(block);
                }
                block[NoiseLimits.HashLength] = (byte)(i + 1);
                HmacSha256.Compute(tempKey, input, output.Slice(i * NoiseLimits.HashLength, NoiseLimits.HashLength));
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(tempKey);
            CryptographicOperations.ZeroMemory(block);
        }
    }

    private void ReplaceChainingKey(ReadOnlySpan<byte> value)
    {
        var next = new ChainingKey(value);
        _ck.Dispose();
        _ck = next;
    }
}
