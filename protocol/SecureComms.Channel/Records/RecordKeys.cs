using SecureComms.Channel.Noise;

namespace SecureComms.Channel.Records;

/// <summary>
/// The two directions' keys of a completed Noise handshake, taken from its <see cref="TransportState"/> (Split's
/// CipherStates by role), handed on once each to a datagram or a stream record layer.
/// </summary>
/// <remarks>
/// <para><b>Policy.</b> Taking the keys disposes the TransportState's CipherStates, so Noise transport messages and
/// records can never run under one key with overlapping nonces. Each direction's key goes to exactly one record
/// layer (datagram or stream): a second request throws, for the same reason. Key bytes are never exposed.</para>
/// <para><b>Hazards.</b> A channel that wants both UDP and TCP runs one handshake per path. Dispose wipes the
/// keys not yet handed on.</para>
/// </remarks>
public sealed class RecordKeys : IDisposable
{
    private RecordKey? _sending;
    private RecordKey? _receiving;

    private RecordKeys(RecordKey sending, RecordKey receiving)
    {
        _sending = sending;
        _receiving = receiving;
    }

    /// <summary>Takes both keys of <paramref name="transport"/> (a two-way pattern's).</summary>
    /// <exception cref="ArgumentException">A one-way pattern's transport (one direction only).</exception>
    public static RecordKeys TakeFrom(TransportState transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        if (transport.Sender is null || transport.Receiver is null)
        {
            throw new ArgumentException("Records need both directions: a one-way pattern's transport cannot carry them.", nameof(transport));
        }
        var sending = RecordKey.TakeFrom(transport.Sender);
        return new RecordKeys(sending, RecordKey.TakeFrom(transport.Receiver));
    }

    /// <summary>A datagram sealer for the sending direction.</summary>
    public DatagramSealer CreateDatagramSealer(TimeProvider? time = null) => new(TakeSending(), time ?? TimeProvider.System);

    /// <summary>A datagram opener for the receiving direction.</summary>
    public DatagramOpener CreateDatagramOpener() => new(TakeReceiving());

    /// <summary>A stream record writer over <paramref name="stream"/> for the sending direction.</summary>
    public StreamRecordWriter CreateStreamWriter(Stream stream, TimeProvider? time = null) => new(TakeSending(), stream, time ?? TimeProvider.System);

    /// <summary>A stream record reader over <paramref name="stream"/> for the receiving direction.</summary>
    public StreamRecordReader CreateStreamReader(Stream stream) => new(TakeReceiving(), stream);

    /// <summary>Wipes the keys not handed on. Idempotent.</summary>
    public void Dispose()
    {
        _sending?.Dispose();
        _sending = null;
        _receiving?.Dispose();
        _receiving = null;
    }

    /// <summary>Shows which directions are still held; never a key.</summary>
    public override string ToString() => $"RecordKeys(sending held: {_sending is not null}, receiving held: {_receiving is not null})";

    private RecordKey TakeSending()
    {
        var key = _sending ?? throw new InvalidOperationException("The sending key was already handed to a record layer.");
        _sending = null;
        return key;
    }

    private RecordKey TakeReceiving()
    {
        var key = _receiving ?? throw new InvalidOperationException("The receiving key was already handed to a record layer.");
        _receiving = null;
        return key;
    }
}
