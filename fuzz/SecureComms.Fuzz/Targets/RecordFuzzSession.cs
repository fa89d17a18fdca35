using SecureComms.Channel.Noise;
using SecureComms.Channel.Records;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// The record keys of one real Noise NN handshake (fresh ephemerals per input, so an input can never carry a
/// valid tag by itself: every accepted record is one the harness sealed). Shared by <c>udp-record</c> and
/// <c>tcp-record</c>.
/// </summary>
internal sealed class RecordFuzzSession : IDisposable
{
    private static readonly NoiseProtocolName Protocol = NoiseProtocolName.ForPattern("NN");

    public RecordFuzzSession()
    {
        using var initiator = new HandshakeState(Protocol, initiator: true, []);
        using var responder = new HandshakeState(Protocol, initiator: false, []);
        responder.ReadMessage(initiator.WriteMessage([]));
        initiator.ReadMessage(responder.WriteMessage([]));
        using var sending = initiator.TakeTransport();
        using var receiving = responder.TakeTransport();
        Sender = RecordKeys.TakeFrom(sending);
        Receiver = RecordKeys.TakeFrom(receiving);
    }

    /// <summary>The initiator's keys: its sending key seals.</summary>
    public RecordKeys Sender { get; }

    /// <summary>The responder's keys: its receiving key opens what the initiator sealed.</summary>
    public RecordKeys Receiver { get; }

    /// <summary>A deterministic payload for record <paramref name="index"/>.</summary>
    public static byte[] Payload(int index) => [.. Enumerable.Range(0, 1 + index * 7).Select(i => (byte)(i ^ index))];

    public void Dispose()
    {
        Sender.Dispose();
        Receiver.Dispose();
    }
}
