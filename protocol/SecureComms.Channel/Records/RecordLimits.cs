using SecureComms.Crypto;

namespace SecureComms.Channel.Records;

/// <summary>
/// The sizes and bounds of the direct channel's record layer (UDP datagrams and TCP stream records), each with its reason.
/// </summary>
/// <remarks>
/// <para><b>References.</b> RFC 9001 §6.6 (AEAD_AES_256_GCM confidentiality limit: 2^23 full-size packets per key);
/// RFC 6479 and WireGuard (<c>COUNTER_BITS_TOTAL</c> = 2048) for the anti-replay window; WireGuard's
/// <c>REKEY_AFTER_TIME</c> = 120 s; RFC 8446 §5.1 (a record carries at most 2^14 bytes of plaintext).</para>
/// </remarks>
public static class RecordLimits
{
    /// <summary>AES-256-GCM tag appended to every record: 16 bytes.</summary>
    public const int TagSizeInBytes = Aes256Gcm.TagSizeInBytes;

    /// <summary>log2 of <see cref="RecordsPerKey"/>: the counter's low 23 bits index a record within one key.</summary>
    public const int RecordsPerKeyLog2 = 23;

    /// <summary>
    /// Records sealed under one key before the next key is derived (Noise §11.3 Rekey): 2^23, RFC 9001 §6.6's
    /// confidentiality limit for AES-GCM with packets up to 2^16 bytes, far below SP 800-38D's 2^32 invocations.
    /// A datagram's key epoch is its counter divided by this, so the receiver knows the key without a signal.
    /// </summary>
    public const ulong RecordsPerKey = 1UL << RecordsPerKeyLog2;

    /// <summary>A sending key older than this is replaced at the next record: 120 s (WireGuard REKEY_AFTER_TIME).</summary>
    public static readonly TimeSpan RekeyAfterTime = TimeSpan.FromSeconds(120);

    /// <summary>Bits of the anti-replay bitmap: 2048 (RFC 6479 §2, WireGuard COUNTER_BITS_TOTAL).</summary>
    public const int ReplayBitmapBits = 2048;

    /// <summary>Bits per bitmap block: one 64-bit word (RFC 6479 §2).</summary>
    public const int ReplayBlockBits = 64;

    /// <summary>
    /// Counters behind the highest accepted one that can still be accepted: 2048 − 64 = 1984 (RFC 6479: one block
    /// is the one being filled, so the usable window is one block less than the bitmap).
    /// </summary>
    public const ulong ReplayWindowSize = ReplayBitmapBits - ReplayBlockBits;

    /// <summary>Largest UDP payload over IPv4: 65,535 − 8 (UDP header) − 20 (IPv4 header) = 65,507 bytes.</summary>
    public const int MaxDatagramLength = 65507;

    /// <summary>Datagram header: type (1 byte) ‖ BE64 counter (8 bytes); it is the AEAD associated data.</summary>
    public const int DatagramHeaderSizeInBytes = 1 + sizeof(ulong);

    /// <summary>Bytes a datagram adds to its payload: header and tag, 25.</summary>
    public const int DatagramOverheadInBytes = DatagramHeaderSizeInBytes + TagSizeInBytes;

    /// <summary>Largest datagram payload: <see cref="MaxDatagramLength"/> less the overhead.</summary>
    public const int MaxDatagramPayloadLength = MaxDatagramLength - DatagramOverheadInBytes;

    /// <summary>
    /// Key epochs a datagram may be ahead of the receiver's current one: 16. Epochs are skipped only when the
    /// sender's timer fires while nothing reaches the receiver; the bound caps the key derivations a forged header
    /// can cause (each one is cached, so at most 16 per epoch).
    /// </summary>
    public const int MaxEpochsAhead = 16;

    /// <summary>Largest stream record payload: 2^14 bytes (RFC 8446 §5.1), so a 2-byte length prefix carries every record.</summary>
    public const int MaxStreamPayloadLength = 1 << 14;

    /// <summary>Stream record length prefix: 2 bytes, big-endian, counting the bytes after it.</summary>
    public const int StreamLengthPrefixSizeInBytes = sizeof(ushort);

    /// <summary>Stream record header: length prefix ‖ type; it is the AEAD associated data.</summary>
    public const int StreamHeaderSizeInBytes = StreamLengthPrefixSizeInBytes + 1;

    /// <summary>Smallest value of the length prefix: type byte and tag (an empty payload).</summary>
    public const int MinStreamBodyLength = 1 + TagSizeInBytes;

    /// <summary>Largest value of the length prefix: type, <see cref="MaxStreamPayloadLength"/> and tag; larger is refused unread.</summary>
    public const int MaxStreamBodyLength = 1 + MaxStreamPayloadLength + TagSizeInBytes;
}
