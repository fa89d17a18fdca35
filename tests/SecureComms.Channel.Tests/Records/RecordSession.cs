using SecureComms.Channel.Records;

namespace SecureComms.Channel.Tests.Records;

/// <summary>
/// A real Noise XX handshake between two fresh parties, and the record keys of each side taken from its Split
/// (initiator sends with c1; the responder receives with it).
/// </summary>
internal sealed class RecordSession : IDisposable
{
    private readonly Handshakes _run = new("XX");

    public RecordSession()
    {
        _run.Complete();
        using var initiator = _run.Initiator.TakeTransport();
        using var responder = _run.Responder.TakeTransport();
        Initiator = RecordKeys.TakeFrom(initiator);
        Responder = RecordKeys.TakeFrom(responder);
    }

    public RecordKeys Initiator { get; }

    public RecordKeys Responder { get; }

    public void Dispose()
    {
        Initiator.Dispose();
        Responder.Dispose();
        _run.Dispose();
    }
}

/// <summary>A clock the test moves by hand (not a mock: a real <see cref="TimeProvider"/> with a settable timestamp).</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}
