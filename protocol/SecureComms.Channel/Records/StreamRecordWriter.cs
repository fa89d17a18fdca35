using System.Buffers.Binary;

namespace SecureComms.Channel.Records;

/// <summary>
/// The sending half of the TCP record layer: <c>length (2, big-endian) ‖ type (1) ‖ AES-256-GCM(k, 0³² ‖ BE64(n),
/// ad = length ‖ type, payload) ‖ tag (16)</c>, with an implicit counter n (TCP delivers in order, as Noise §5.1's
/// CipherState assumes) and payloads of at most <see cref="RecordLimits.MaxStreamPayloadLength"/>.
/// </summary>
/// <remarks>
/// <para><b>References.</b> Noise rev. 34 §3 and §13 (length-prefixed messages over a stream), §11.3 (Rekey);
/// RFC 8446 §5.1 (2^14-byte records), §4.6.3 (KeyUpdate).</para>
/// <para><b>Rekey.</b> After <see cref="RecordLimits.RecordsPerKey"/> records or <see cref="RecordLimits.RekeyAfterTime"/>,
/// the writer sends an empty <see cref="RecordType.KeyUpdate"/> under the old key, then uses REKEY(k) with n = 0.
/// A record under the old key after that fails the reader's tag: with in-order delivery it can only be a forgery.</para>
/// <para><b>Allocation.</b> One record-sized buffer at construction; none per record. Not thread-safe.</para>
/// <para><b>Hazards.</b> The counter advances before the bytes reach the stream, so a record is never sealed twice
/// under one nonce; if <see cref="Stream.Write(ReadOnlySpan{byte})"/> throws, the connection is lost and so is the
/// writer (the reader would refuse the next record with <see cref="StreamRecordError.BadTag"/>).</para>
/// </remarks>
public sealed class StreamRecordWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly TimeProvider _time;
    private readonly byte[] _buffer = new byte[RecordLimits.StreamLengthPrefixSizeInBytes + RecordLimits.MaxStreamBodyLength];
    private RecordKey _key;
    private ulong _n;
    private long _keyStarted;
    private bool _disposed;

    internal StreamRecordWriter(RecordKey key, Stream stream, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _key = key;
        _stream = stream;
        _time = time;
        _keyStarted = time.GetTimestamp();
    }

    /// <summary>The epoch of the current sending key.</summary>
    public ulong Epoch => _key.Epoch;

    /// <summary>Writes one data record carrying <paramref name="payload"/> (at most 16 KiB).</summary>
    public void Write(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > RecordLimits.MaxStreamPayloadLength)
        {
            throw new ArgumentException($"Payload of {payload.Length} bytes exceeds {RecordLimits.MaxStreamPayloadLength}.", nameof(payload));
        }
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_n >= RecordLimits.RecordsPerKey - 1 || _time.GetElapsedTime(_keyStarted) >= RecordLimits.RekeyAfterTime)
        {
            UpdateKey();
        }
        WriteCore(RecordType.Data, payload);
    }

    /// <summary>Writes an empty keepalive record.</summary>
    public void WriteKeepalive()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        WriteCore(RecordType.Keepalive, []);
    }

    /// <summary>Sends a KeyUpdate and moves to the next key now (also done automatically by count and time).</summary>
    public void UpdateKey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        WriteCore(RecordType.KeyUpdate, []);
        var next = _key.Next();
        _key.Dispose();
        _key = next;
        _n = 0;
        _keyStarted = _time.GetTimestamp();
    }

    /// <summary>Wipes the key and the buffer. Idempotent; does not close the stream.</summary>
    public void Dispose()
    {
        _key.Dispose();
        Array.Clear(_buffer);
        _disposed = true;
    }

    /// <summary>Shows the epoch and counter only.</summary>
    public override string ToString() => $"StreamRecordWriter(epoch {_key.Epoch}, n {_n})";

    private void WriteCore(RecordType type, ReadOnlySpan<byte> payload)
    {
        int body = 1 + payload.Length + RecordLimits.TagSizeInBytes;
        int total = RecordLimits.StreamLengthPrefixSizeInBytes + body;
        var record = _buffer.AsSpan(0, total);
        BinaryPrimitives.WriteUInt16BigEndian(record, (ushort)body);
        record[RecordLimits.StreamLengthPrefixSizeInBytes] = (byte)type;
        int tagStart = RecordLimits.StreamHeaderSizeInBytes + payload.Length;
        _key.Seal(_n, record[..RecordLimits.StreamHeaderSizeInBytes], payload, record[RecordLimits.StreamHeaderSizeInBytes..tagStart], record[tagStart..]);
        _n++;
        _stream.Write(record);
    }
}
