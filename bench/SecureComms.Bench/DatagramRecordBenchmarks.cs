using BenchmarkDotNet.Attributes;
using SecureComms.Channel.Noise;
using SecureComms.Channel.Records;

namespace SecureComms.Bench;

/// <summary>
/// The UDP record layer's hot path: <see cref="DatagramSealer.TrySeal"/> then <see cref="DatagramOpener.Open"/> of one
/// 1,200-byte record (a media or transport record under a typical path MTU), keys from a real Noise NN handshake.
/// </summary>
/// <remarks>
/// One operation is a seal and an open (header, AES-256-GCM with the 9-byte header as AAD, replay-window check and
/// commit), so compare with the sum of <see cref="Aes256GcmBenchmarks"/> Seal and Open at 1,200 B, or with
/// <c>openssl speed -aead -evp aes-256-gcm -bytes 1200</c> run encrypt and decrypt (issue 6 goal: ≥ 0.9×).
/// It must allocate nothing (MemoryDiagnoser's "Allocated" column: "-"). Every operation uses the next counter, as
/// a real sender does, so the opener's window accepts each record once.
/// </remarks>
// Public and unsealed: BenchmarkDotNet derives a runner from benchmark classes, so STYLE.md §6 (sealed by default) cannot apply.
// Category "Channel": not in scripts/bench's crypto or signal selections until it learns to pair this with openssl speed.
[BenchmarkCategory("Channel")]
public class DatagramRecordBenchmarks
{
    private RecordKeys _initiator = null!;
    private RecordKeys _responder = null!;
    private DatagramSealer _sealer = null!;
    private DatagramOpener _opener = null!;
    private byte[] _payload = [];
    private byte[] _datagram = [];
    private byte[] _opened = [];

    /// <summary>Payload bytes per record (the name <see cref="ThroughputColumn"/> reads).</summary>
    [Params(1200)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var protocol = NoiseProtocolName.ForPattern("NN");
        using var initiator = new HandshakeState(protocol, initiator: true, []);
        using var responder = new HandshakeState(protocol, initiator: false, []);
        responder.ReadMessage(initiator.WriteMessage([]));
        initiator.ReadMessage(responder.WriteMessage([]));
        using var sending = initiator.TakeTransport();
        using var receiving = responder.TakeTransport();
        _initiator = RecordKeys.TakeFrom(sending);
        _responder = RecordKeys.TakeFrom(receiving);
        _sealer = _initiator.CreateDatagramSealer();
        _opener = _responder.CreateDatagramOpener();
        _payload = System.Security.Cryptography.RandomNumberGenerator.GetBytes(Size);
        _datagram = new byte[Size + RecordLimits.DatagramOverheadInBytes];
        _opened = new byte[Size];
        if (SealAndOpen() != Size || !_opened.AsSpan().SequenceEqual(_payload))
        {
            throw new InvalidOperationException("Record round trip failed in benchmark setup.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sealer.Dispose();
        _opener.Dispose();
        _initiator.Dispose();
        _responder.Dispose();
    }

    [Benchmark]
    public int SealAndOpen()
    {
        _sealer.TrySeal(_payload, _datagram, out _);
        return _opener.Open(_datagram, _opened).PayloadLength;
    }
}
