namespace SecureComms.Channel.Records;

/// <summary>
/// The receiving half of the UDP record layer: total parse, replay-window check, key selection by epoch, decrypt into
/// the caller's buffer, and only then commit (window and key), so a garbage or forged datagram changes nothing.
/// </summary>
/// <remarks>
/// <para><b>Policy.</b> Replayed, duplicate and too-old datagrams are dropped; reordered ones within
/// <see cref="RecordLimits.ReplayWindowSize"/> are delivered once. One window spans all key epochs (the counter
/// continues across rekeys), so a replay from an earlier epoch is still a duplicate.</para>
/// <para><b>Rekey.</b> The receiver holds the current epoch's key and the previous one. A late reordered record from
/// the previous epoch is delivered if the window still admits it (after a count-based rekey it usually does; after a
/// timer rekey the counter jumped 2^23 ahead, so it is <see cref="DatagramDropReason.TooOld"/>). Anything older is
/// <see cref="DatagramDropReason.KeyRetired"/>. Keys of future epochs (up to <see cref="RecordLimits.MaxEpochsAhead"/>)
/// are derived and cached but become current only when a record under them authenticates.</para>
/// <para><b>Failure.</b> A dropped record leaves the caller's buffer zeroed where it wrote (the AEAD zeroes on a bad
/// tag), never unauthenticated plaintext. Zero allocation per record.</para>
/// <para><b>Hazards.</b> Not thread-safe: one receive loop serialises calls.</para>
/// </remarks>
public sealed class DatagramOpener : IDisposable
{
    private readonly ReplayWindow _window = new();
    private readonly List<RecordKey> _ahead = new(RecordLimits.MaxEpochsAhead);
    private RecordKey _current;
    private RecordKey? _previous;
    private bool _disposed;

    internal DatagramOpener(RecordKey key) => _current = key;

    /// <summary>The epoch of the newest key a record authenticated under (0 at first).</summary>
    public ulong Epoch => _current.Epoch;

    /// <summary>The highest counter delivered (public data).</summary>
    public ulong HighestCounter => _window.Highest;

    /// <summary>
    /// Opens <paramref name="datagram"/>: on <see cref="DatagramOutcome.Delivered"/> the payload is in the first
    /// <see cref="DatagramOpenResult.PayloadLength"/> bytes of <paramref name="payload"/>.
    /// </summary>
    public DatagramOpenResult Open(ReadOnlySpan<byte> datagram, Span<byte> payload)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var reason = DatagramRecord.TryParseHeader(datagram, out var type, out ulong counter, out int length);
        if (reason != DatagramDropReason.None)
        {
            return DatagramOpenResult.Drop(reason, counter);
        }
        switch (_window.Check(counter))
        {
            case ReplayVerdict.Duplicate:
                return DatagramOpenResult.Drop(DatagramDropReason.Duplicate, counter);
            case ReplayVerdict.TooOld:
                return DatagramOpenResult.Drop(DatagramDropReason.TooOld, counter);
        }
        if (payload.Length < length)
        {
            return DatagramOpenResult.Drop(DatagramDropReason.BufferTooSmall, counter);
        }
        reason = SelectKey(DatagramRecord.EpochOf(counter), out var key, out int aheadIndex);
        if (reason != DatagramDropReason.None)
        {
            return DatagramOpenResult.Drop(reason, counter);
        }
        int tagStart = RecordLimits.DatagramHeaderSizeInBytes + length;
        if (!key!.TryOpen(counter, datagram[..RecordLimits.DatagramHeaderSizeInBytes], datagram[RecordLimits.DatagramHeaderSizeInBytes..tagStart],
                datagram.Slice(tagStart, RecordLimits.TagSizeInBytes), payload[..length]))
        {
            return DatagramOpenResult.Drop(DatagramDropReason.BadTag, counter);
        }
        // Authenticated: commit the window, then the key.
        _window.Commit(counter);
        if (aheadIndex >= 0)
        {
            PromoteAhead(aheadIndex);
        }
        return type == RecordType.Keepalive
            ? new DatagramOpenResult(DatagramOutcome.Keepalive, DatagramDropReason.None, counter, 0)
            : new DatagramOpenResult(DatagramOutcome.Delivered, DatagramDropReason.None, counter, length);
    }

    /// <summary>Wipes every key held. Idempotent.</summary>
    public void Dispose()
    {
        _current.Dispose();
        _previous?.Dispose();
        foreach (var key in _ahead)
        {
            key.Dispose();
        }
        _ahead.Clear();
        _disposed = true;
    }

    /// <summary>Shows the epoch and window only.</summary>
    public override string ToString() => $"DatagramOpener(epoch {_current.Epoch}, {_window})";

    private DatagramDropReason SelectKey(ulong epoch, out RecordKey? key, out int aheadIndex)
    {
        aheadIndex = -1;
        key = null;
        if (epoch == _current.Epoch)
        {
            key = _current;
            return DatagramDropReason.None;
        }
        if (epoch < _current.Epoch)
        {
            // Defence in depth: epochs are 2^23 counters apart and the window 1984, so the window already refuses
            // (TooOld) every record older than the previous epoch; KeyRetired guards the key choice on its own.
            key = epoch + 1 == _current.Epoch ? _previous : null;
            return key is null ? DatagramDropReason.KeyRetired : DatagramDropReason.None;
        }
        ulong distance = epoch - _current.Epoch;
        if (distance > RecordLimits.MaxEpochsAhead)
        {
            return DatagramDropReason.KeyTooFarAhead;
        }
        aheadIndex = (int)distance - 1;
        while (_ahead.Count <= aheadIndex)
        {
            _ahead.Add((_ahead.Count == 0 ? _current : _ahead[^1]).Next()); // deterministic: caching it moves nothing
        }
        key = _ahead[aheadIndex];
        return DatagramDropReason.None;
    }

    private void PromoteAhead(int index)
    {
        var newCurrent = _ahead[index];
        var newPrevious = index == 0 ? _current : _ahead[index - 1];
        _previous?.Dispose();
        if (!ReferenceEquals(newPrevious, _current))
        {
            _current.Dispose();
        }
        for (int i = 0; i < index - 1; i++)
        {
            _ahead[i].Dispose();
        }
        _ahead.RemoveRange(0, index + 1);
        _previous = newPrevious;
        _current = newCurrent;
    }
}
