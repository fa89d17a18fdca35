using SecureComms.Channel.Noise;
using SecureComms.Crypto;

namespace SecureComms.Channel.Records;

/// <summary>
/// One direction's AES-256-GCM key for one key epoch, taken from a Noise <see cref="CipherState"/> (Split) and
/// advanced with the Noise REKEY function: k' = the first 32 bytes of ENCRYPT(k, 2^64 − 1, zerolen, zeros).
/// </summary>
/// <remarks>
/// <para><b>References.</b> Noise rev. 34 §4.2 (REKEY), §11.3 (Rekey), §11.4 (out-of-order transports build
/// their own nonces), §12.4 (nonce 0³² ‖ BE64(n)).</para>
/// <para><b>Why not CipherState.</b> CipherState's nonce is implicit: the receiver's <c>n</c> must equal the
/// sender's, which holds only if every message arrives once and in order (TCP). UDP drops and reorders, so the
/// counter travels in the header and this type seals and opens under an explicit counter. Rekeying is also
/// non-destructive here (<see cref="Next"/> returns a new key), so a receiver can try the next epoch's key on a
/// record and keep the current one if the tag fails: a forged record never moves the key.</para>
/// <para><b>Hazards.</b> Never seal two records with one (key, counter): the sealers own the counter. The key
/// bytes never leave <see cref="Aes256Gcm"/> except on the stack during <see cref="Next"/>, wiped in finally.</para>
/// </remarks>
internal sealed class RecordKey : IDisposable
{
    private readonly Aes256Gcm _aead;

    private RecordKey(Aes256Gcm aead, ulong epoch)
    {
        _aead = aead;
        Epoch = epoch;
    }

    /// <summary>How many times the Split key was rekeyed to obtain this one.</summary>
    public ulong Epoch { get; }

    /// <summary>Takes <paramref name="cipher"/>'s key (epoch 0); the CipherState is disposed by this.</summary>
    public static RecordKey TakeFrom(CipherState cipher)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        return new RecordKey(cipher.TakeKey(), 0);
    }

    /// <summary>§4.2 REKEY(k): the key of epoch <see cref="Epoch"/> + 1. This key is unchanged.</summary>
    public RecordKey Next() => new(CipherState.Rekey(_aead), checked(Epoch + 1));

    /// <summary>Seals <paramref name="plaintext"/> under nonce 0³² ‖ BE64(<paramref name="counter"/>).</summary>
    public void Seal(ulong counter, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag)
    {
        Span<byte> nonce = stackalloc byte[Aes256Gcm.NonceSizeInBytes];
        NonceCounter.Write(counter, nonce);
        _aead.Seal(nonce, plaintext, ciphertext, tag, associatedData);
    }

    /// <summary>Opens under nonce 0³² ‖ BE64(<paramref name="counter"/>); false, with the plaintext zeroed, on a bad tag.</summary>
    public bool TryOpen(ulong counter, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext)
    {
        Span<byte> nonce = stackalloc byte[Aes256Gcm.NonceSizeInBytes];
        NonceCounter.Write(counter, nonce);
        return _aead.TryOpen(nonce, ciphertext, tag, plaintext, associatedData);
    }

    /// <summary>Wipes the key.</summary>
    public void Dispose() => _aead.Dispose();

    /// <summary>Shows the algorithm and epoch only.</summary>
    public override string ToString() => $"RecordKey(AES-256-GCM, epoch {Epoch})";
}
