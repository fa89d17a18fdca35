using SecureComms.Crypto;

namespace SecureComms.Channel.Records;

/// <summary>
/// The sending half of the UDP record layer: seals each payload under the next 64-bit counter into a caller buffer
/// (<see cref="DatagramRecord"/> format) and rekeys before the AES-GCM usage limit and on a timer.
/// </summary>
/// <remarks>
/// <para><b>Rekey policy.</b> The key of counter c is REKEY^(c / 2^23)(k_split) (Noise §11.3), so the receiver
/// derives it from the header with no signalling message. The sender moves to the next key when the counter crosses
/// a multiple of <see cref="RecordLimits.RecordsPerKey"/> (RFC 9001 §6.6 limit, well under 2^32), or, when the key
/// is older than <see cref="RecordLimits.RekeyAfterTime"/>, by jumping the counter to the next epoch's first value
/// (skipped counters are never used, so no nonce repeats).</para>
/// <para><b>Limits.</b> The counter never wraps: <see cref="TrySeal"/> returns false once 2^64 − 2 is used
/// (Noise §5.1 reserves 2^64 − 1); the session must then end.</para>
/// <para><b>Allocation.</b> None per record: spans, stack nonce, a reused key object; a new key object only per epoch.</para>
/// <para><b>Hazards.</b> Not thread-safe: one sender serialises calls.</para>
/// </remarks>
public sealed class DatagramSealer : IDisposable
{
    private readonly TimeProvider _time;
    private RecordKey _key;
    private ulong _next;
    private long _keyStarted;
    private bool _disposed;

    internal DatagramSealer(RecordKey key, TimeProvider time)
    {
        _key = key;
        _time = time;
        _keyStarted = time.GetTimestamp();
    }

    /// <summary>The counter the next record will carry (public data).</summary>
    public ulong NextCounter => _next;

    /// <summary>The epoch of the current sending key.</summary>
    public ulong Epoch => _key.Epoch;

    /// <summary>
    /// Seals <paramref name="payload"/> (at most <see cref="RecordLimits.MaxDatagramPayloadLength"/>) into
    /// <paramref name="datagram"/> (payload + 25 bytes). Returns false, writing nothing, when the counter is exhausted.
    /// </summary>
    public bool TrySeal(ReadOnlySpan<byte> payload, Span<byte> datagram, out int written)
    {
        if (payload.Length > RecordLimits.MaxDatagramPayloadLength)
        {
            throw new ArgumentException($"Payload of {payload.Length} bytes exceeds {RecordLimits.MaxDatagramPayloadLength}.", nameof(payload));
        }
        return SealCore(RecordType.Data, payload, datagram, out written);
    }

    /// <summary>Seals an empty keepalive record (25 bytes) into <paramref name="datagram"/>.</summary>
    public bool TrySealKeepalive(Span<byte> datagram, out int written) => SealCore(RecordType.Keepalive, [], datagram, out written);

    /// <summary>Test hook: moves the counter forward to <paramref name="counter"/> (skipped counters are never used,
    /// so no nonce repeats), to reach an epoch boundary or the counter's end without sealing 2^23 records.</summary>
    internal void SkipTo(ulong counter)
    {
        if (counter < _next)
        {
            throw new ArgumentOutOfRangeException(nameof(counter), "The counter only moves forward.");
        }
        _next = counter;
    }

    /// <summary>Wipes the key. Idempotent.</summary>
    public void Dispose()
    {
        _key.Dispose();
        _disposed = true;
    }

    /// <summary>Shows the counter and epoch only.</summary>
    public override string ToString() => $"DatagramSealer(next {_next}, epoch {_key.Epoch})";

    private bool SealCore(RecordType type, ReadOnlySpan<byte> payload, Span<byte> datagram, out int written)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        written = payload.Length + RecordLimits.DatagramOverheadInBytes;
        if (datagram.Length < written)
        {
            throw new ArgumentException($"Datagram buffer must hold {written} bytes.", nameof(datagram));
        }
        if (_time.GetElapsedTime(_keyStarted) >= RecordLimits.RekeyAfterTime && DatagramRecord.EpochOf(_next) == _key.Epoch)
        {
            ulong nextEpochStart = (_key.Epoch + 1) << RecordLimits.RecordsPerKeyLog2;
            if (DatagramRecord.EpochOf(nextEpochStart) == _key.Epoch + 1)
            {
                _next = nextEpochStart; // skip the rest of this epoch: the receiver derives the key from the counter
            }
        }
        if (_next > NonceCounter.MaxValue)
        {
            written = 0;
            return false;
        }
        while (DatagramRecord.EpochOf(_next) > _key.Epoch)
        {
            var next = _key.Next();
            _key.Dispose();
            _key = next;
            _keyStarted = _time.GetTimestamp();
        }
        var header = datagram[..RecordLimits.DatagramHeaderSizeInBytes];
        DatagramRecord.WriteHeader(type, _next, header);
        int tagStart = RecordLimits.DatagramHeaderSizeInBytes + payload.Length;
        _key.Seal(_next, header, payload, datagram[RecordLimits.DatagramHeaderSizeInBytes..tagStart], datagram.Slice(tagStart, RecordLimits.TagSizeInBytes));
        _next++; // from MaxValue this reaches the reserved 2^64 − 1 and the next call refuses
        return true;
    }
}
