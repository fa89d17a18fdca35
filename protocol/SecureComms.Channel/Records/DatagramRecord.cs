using System.Buffers.Binary;

namespace SecureComms.Channel.Records;

/// <summary>Why a datagram was dropped (STYLE.md §13). What crosses the network is nothing: a drop is silent.</summary>
public enum DatagramDropReason
{
    /// <summary>Not dropped.</summary>
    None,

    /// <summary>Shorter than header and tag (25 bytes).</summary>
    TooShort,

    /// <summary>Longer than <see cref="RecordLimits.MaxDatagramLength"/>.</summary>
    TooLong,

    /// <summary>The type byte is not Data or Keepalive.</summary>
    UnknownType,

    /// <summary>A keepalive that carries payload bytes.</summary>
    KeepaliveWithPayload,

    /// <summary>Counter 2^64 − 1, reserved by Noise §5.1 and never sealed.</summary>
    ReservedCounter,

    /// <summary>The counter was already delivered (replay or network duplicate).</summary>
    Duplicate,

    /// <summary>The counter is behind the replay window.</summary>
    TooOld,

    /// <summary>The counter's key epoch is older than the previous one: its key was wiped.</summary>
    KeyRetired,

    /// <summary>The counter's key epoch is more than <see cref="RecordLimits.MaxEpochsAhead"/> ahead.</summary>
    KeyTooFarAhead,

    /// <summary>The tag did not verify: forged, corrupted, or under another key.</summary>
    BadTag,

    /// <summary>The caller's payload buffer is shorter than the record's payload.</summary>
    BufferTooSmall,
}

/// <summary>
/// The UDP record format: <c>type (1) ‖ counter (8, big-endian) ‖ AES-256-GCM(k_epoch, 0³² ‖ BE64(counter),
/// ad = type ‖ counter, payload) ‖ tag (16)</c>, with epoch = counter / <see cref="RecordLimits.RecordsPerKey"/>.
/// </summary>
/// <remarks>
/// <para><b>References.</b> Noise rev. 34 §5.1 and §12.4 (nonce shape), §11.4 (explicit nonces for out-of-order
/// transports); the same shape as WireGuard's transport data message (counter in clear, nonce from it).</para>
/// <para><b>Why explicit.</b> A CipherState's nonce is implicit and advances by one per message; over UDP a single
/// lost or reordered datagram would desynchronise every later one. The header authenticates as associated data, so
/// a changed type or counter fails the tag.</para>
/// <para><b>Parsing is total.</b> <see cref="TryParseHeader"/> never throws on network input; it returns a reason.</para>
/// </remarks>
public static class DatagramRecord
{
    /// <summary>Writes the header of a record.</summary>
    internal static void WriteHeader(RecordType type, ulong counter, Span<byte> header)
    {
        header[0] = (byte)type;
        BinaryPrimitives.WriteUInt64BigEndian(header[1..RecordLimits.DatagramHeaderSizeInBytes], counter);
    }

    /// <summary>
    /// Reads the public header of <paramref name="datagram"/>: type, counter and payload length. Checks sizes, the
    /// type, an empty keepalive and the reserved counter; authenticates nothing.
    /// </summary>
    public static DatagramDropReason TryParseHeader(ReadOnlySpan<byte> datagram, out RecordType type, out ulong counter, out int payloadLength)
    {
        type = default;
        counter = 0;
        payloadLength = 0;
        if (datagram.Length < RecordLimits.DatagramOverheadInBytes)
        {
            return DatagramDropReason.TooShort;
        }
        if (datagram.Length > RecordLimits.MaxDatagramLength)
        {
            return DatagramDropReason.TooLong;
        }
        type = (RecordType)datagram[0];
        if (type is not (RecordType.Data or RecordType.Keepalive))
        {
            return DatagramDropReason.UnknownType;
        }
        payloadLength = datagram.Length - RecordLimits.DatagramOverheadInBytes;
        if (type == RecordType.Keepalive && payloadLength != 0)
        {
            return DatagramDropReason.KeepaliveWithPayload;
        }
        counter = BinaryPrimitives.ReadUInt64BigEndian(datagram[1..RecordLimits.DatagramHeaderSizeInBytes]);
        if (counter == ulong.MaxValue)
        {
            return DatagramDropReason.ReservedCounter;
        }
        return DatagramDropReason.None;
    }

    /// <summary>The key epoch of <paramref name="counter"/>.</summary>
    public static ulong EpochOf(ulong counter) => counter >> RecordLimits.RecordsPerKeyLog2;
}
