using System.Buffers.Binary;

namespace SecureComms.Crypto;

/// <summary>
/// A source of never-repeating 96-bit AES-GCM nonces for one key: 32 zero bits followed by a 64-bit
/// big-endian counter n, the AESGCM nonce of the Noise Protocol Framework (rev. 34 §12.3).
/// </summary>
/// <remarks>
/// <para><b>References.</b> NIST SP 800-38D §8.2.1 (deterministic construction: a nonce is never repeated
/// under one key); Noise rev. 34 §5.1 (n = 2^64 − 1 is reserved, so the last usable value is 2^64 − 2).</para>
/// <para><b>Why here.</b> A repeated (key, nonce) pair reveals the XOR of two plaintexts and the GHASH key,
/// hence forgeries. The primitives layer cannot know which nonces a caller used before; this type is the
/// one nonce source the protocol layers use, and it refuses, rather than wraps, at exhaustion.</para>
/// <para><b>Hazards.</b> One counter per key and direction; never persist and restore a counter without
/// the key. Not thread-safe: the owner of the key serialises calls.</para>
/// </remarks>
public sealed class NonceCounter
{
    /// <summary>Nonce size: 96 bits.</summary>
    public const int NonceSizeInBytes = Aes256Gcm.NonceSizeInBytes;

    /// <summary>Largest counter value handed out: 2^64 − 2 (2^64 − 1 is reserved, Noise §5.1).</summary>
    public const ulong MaxValue = ulong.MaxValue - 1;

    private ulong _next;

    /// <summary>Starts at <paramref name="start"/> (0 for a fresh key).</summary>
    public NonceCounter(ulong start = 0) => _next = start;

    /// <summary>The value the next nonce will carry; the reserved 2^64 − 1 once the counter is exhausted.</summary>
    public ulong Next => _next;

    /// <summary>
    /// Writes the next nonce and advances. Returns false, writing nothing, once every value up to
    /// <see cref="MaxValue"/> has been used: the key must be replaced (rekeyed) then.
    /// </summary>
    public bool TryNext(Span<byte> nonce)
    {
        if (nonce.Length != NonceSizeInBytes)
        {
            throw new ArgumentException($"Nonce must be {NonceSizeInBytes} bytes.", nameof(nonce));
        }
        if (_next > MaxValue)
        {
            return false;
        }
        Write(_next, nonce);
        _next++; // from MaxValue this reaches the reserved 2^64 − 1, never wraps
        return true;
    }

    /// <summary>Encodes counter <paramref name="n"/> as a nonce: 0x00000000 ‖ big-endian n.</summary>
    public static void Write(ulong n, Span<byte> nonce)
    {
        if (nonce.Length != NonceSizeInBytes)
        {
            throw new ArgumentException($"Nonce must be {NonceSizeInBytes} bytes.", nameof(nonce));
        }
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], n);
    }
}
