using System.Buffers.Binary;

namespace SecureComms.Channel.Records;

/// <summary>
/// The receiving half of the TCP record layer (<see cref="StreamRecordWriter"/> format): a total reader over a
/// <see cref="Stream"/> that delivers data records in order, consumes keepalives and KeyUpdates, and ends the channel
/// with a <see cref="StreamIntegrityException"/> on the first garbage, truncated, oversized or forged record.
/// </summary>
/// <remarks>
/// <para><b>Policy.</b> The length prefix is checked against <see cref="RecordLimits.MaxStreamBodyLength"/> before
/// any body byte is read; the body goes into one buffer allocated at construction, never one sized by the prefix.
/// The implicit counter advances only after a tag verifies. After a failure every call throws
/// <see cref="StreamRecordError.Closed"/>: the stream's boundaries can no longer be trusted (contrast UDP, where
/// <see cref="DatagramOpener"/> drops the datagram and continues).</para>
/// <para><b>Hazards.</b> Not thread-safe. A failed read zeroes the part of the caller's buffer it wrote.</para>
/// </remarks>
public sealed class StreamRecordReader : IDisposable
{
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[RecordLimits.StreamLengthPrefixSizeInBytes + RecordLimits.MaxStreamBodyLength];
    private RecordKey _key;
    private ulong _n;
    private bool _failed;
    private bool _disposed;

    internal StreamRecordReader(RecordKey key, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _key = key;
        _stream = stream;
    }

    /// <summary>The epoch of the current receiving key.</summary>
    public ulong Epoch => _key.Epoch;

    /// <summary>
    /// Reads the next data record into <paramref name="payload"/> (at least <see cref="RecordLimits.MaxStreamPayloadLength"/>
    /// bytes). Returns false at a clean end of stream (between records).
    /// </summary>
    /// <exception cref="StreamIntegrityException">The stream is broken; the channel must end.</exception>
    public bool TryRead(Span<byte> payload, out int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (payload.Length < RecordLimits.MaxStreamPayloadLength)
        {
            throw new ArgumentException($"Payload buffer must hold {RecordLimits.MaxStreamPayloadLength} bytes.", nameof(payload));
        }
        if (_failed)
        {
            throw new StreamIntegrityException(StreamRecordError.Closed, "An earlier record broke the stream.");
        }
        try
        {
            while (true)
            {
                if (!ReadRecordCore(payload, out var type, out length))
                {
                    return false;
                }
                if (type == RecordType.Data)
                {
                    return true;
                }
            }
        }
        catch (StreamIntegrityException)
        {
            _failed = true;
            throw;
        }
    }

    /// <summary>Wipes the key and the buffer. Idempotent; does not close the stream.</summary>
    public void Dispose()
    {
        _key.Dispose();
        Array.Clear(_buffer);
        _disposed = true;
    }

    /// <summary>Shows the epoch and counter only.</summary>
    public override string ToString() => $"StreamRecordReader(epoch {_key.Epoch}, n {_n}, failed {_failed})";

    private bool ReadRecordCore(Span<byte> payload, out RecordType type, out int length)
    {
        type = default;
        length = 0;
        var prefix = _buffer.AsSpan(0, RecordLimits.StreamLengthPrefixSizeInBytes);
        int got = ReadFully(prefix);
        if (got == 0)
        {
            return false;
        }
        if (got < prefix.Length)
        {
            throw new StreamIntegrityException(StreamRecordError.Truncated, $"Stream ended after {got} of {prefix.Length} length bytes.");
        }
        int body = BinaryPrimitives.ReadUInt16BigEndian(prefix);
        if (body > RecordLimits.MaxStreamBodyLength)
        {
            throw new StreamIntegrityException(StreamRecordError.RecordTooLarge, $"Record of {body} bytes exceeds {RecordLimits.MaxStreamBodyLength}.");
        }
        if (body < RecordLimits.MinStreamBodyLength)
        {
            throw new StreamIntegrityException(StreamRecordError.RecordTooShort, $"Record of {body} bytes is below {RecordLimits.MinStreamBodyLength}.");
        }
        var bodySpan = _buffer.AsSpan(RecordLimits.StreamLengthPrefixSizeInBytes, body);
        got = ReadFully(bodySpan);
        if (got < body)
        {
            throw new StreamIntegrityException(StreamRecordError.Truncated, $"Stream ended after {got} of {body} record bytes.");
        }
        type = (RecordType)bodySpan[0];
        length = body - RecordLimits.MinStreamBodyLength;
        if (type is not (RecordType.Data or RecordType.Keepalive or RecordType.KeyUpdate) || (type != RecordType.Data && length != 0))
        {
            throw new StreamIntegrityException(StreamRecordError.UnknownType, $"Record type 0x{(byte)type:x2} with {length} payload bytes.");
        }
        if (_n >= RecordLimits.RecordsPerKey)
        {
            throw new StreamIntegrityException(StreamRecordError.CounterExhausted, $"More than {RecordLimits.RecordsPerKey} records under one key.");
        }
        var record = _buffer.AsSpan(0, RecordLimits.StreamLengthPrefixSizeInBytes + body);
        int tagStart = RecordLimits.StreamHeaderSizeInBytes + length;
        if (!_key.TryOpen(_n, record[..RecordLimits.StreamHeaderSizeInBytes], record[RecordLimits.StreamHeaderSizeInBytes..tagStart], record[tagStart..], payload[..length]))
        {
            throw new StreamIntegrityException(StreamRecordError.BadTag, $"Record {_n} of epoch {_key.Epoch} did not authenticate.");
        }
        _n++;
        if (type == RecordType.KeyUpdate)
        {
            var next = _key.Next();
            _key.Dispose();
            _key = next;
            _n = 0;
        }
        return true;
    }

    private int ReadFully(Span<byte> destination)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int read = _stream.Read(destination[total..]);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }
}
