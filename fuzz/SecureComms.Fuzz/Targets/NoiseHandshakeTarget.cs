using SecureComms.Channel.Noise;
using SecureComms.Crypto;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// Fuzz target <c>noise-handshake</c>: <see cref="HandshakeState.ReadMessage(ReadOnlySpan{byte})"/> of every Noise
/// pattern and role fed attacker bytes in place of one honest handshake message.
/// </summary>
/// <remarks>
/// <para><b>Input.</b> <c>pattern:u8 ‖ selector:u8 ‖ message</c>. <c>pattern</c> picks (mod the count) one of
/// <see cref="Sections"/>: the 38 patterns of the table in ordinal order, then <c>XXpsk3</c>, <c>IKpsk2</c>,
/// <c>NNpsk0+psk2</c>. <c>selector</c> bit 0: the victim is the initiator (1) or the responder (0; a one-way
/// initiator, which never reads, becomes the responder); bits 1–7: which of the victim's reads (mod their
/// number) gets <c>message</c>. Honest parties with fixed statics and PSK (fresh ephemerals) play the handshake up to
/// that read; the honest message is written too, then replaced.</para>
/// <para><b>Oracles.</b> Only <see cref="NoiseException"/> escapes ReadMessage. After a refusal the victim is
/// unusable: <c>HasFailed</c>, and ReadMessage, WriteMessage and TakeTransport throw
/// <see cref="InvalidOperationException"/>. After an acceptance the rest of the handshake is played honestly; if both
/// parties complete, the fuzzed message was the honest one byte for byte (anything else is a forgery the handshake
/// failed to notice), both handshake hashes are equal, and a transport message goes through each way.</para>
/// </remarks>
public static class NoiseHandshakeTarget
{
    /// <summary>The target's name on the command line and in <c>fuzz/corpus/</c>.</summary>
    public const string Name = "noise-handshake";

    /// <summary>The pattern name sections an input can pick, in selector order.</summary>
    public static IReadOnlyList<string> Sections { get; } =
        [.. HandshakePattern.BaseNames.Order(StringComparer.Ordinal), "XXpsk3", "IKpsk2", "NNpsk0+psk2"];

    private static readonly X25519PrivateKey InitiatorStatic = X25519PrivateKey.Import([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);
    private static readonly X25519PrivateKey ResponderStatic = X25519PrivateKey.Import([.. Enumerable.Range(101, 32).Select(i => (byte)i)]);
    private static readonly PresharedKey Psk = PresharedKey.Import([.. Enumerable.Repeat((byte)0x5A, 32)]);

    /// <summary>Runs one input.</summary>
    public static void Target(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2)
        {
            return;
        }
        var protocol = NoiseProtocolName.ForPattern(Sections[data[0] % Sections.Count]);
        var pattern = protocol.Pattern;
        bool victimIsInitiator = (data[1] & 1) == 1 && !pattern.IsOneWay;
        int[] victimReads = [.. Enumerable.Range(0, pattern.Messages.Count).Where(i => pattern.Messages[i].FromInitiator != victimIsInitiator)];
        int target = victimReads[(data[1] >> 1) % victimReads.Length];
        byte[] fuzzed = data[2..].ToArray();

        using var initiator = Party(protocol, initiator: true);
        using var responder = Party(protocol, initiator: false);
        byte[] honestAtTarget = [];
        for (int i = 0; i < pattern.Messages.Count; i++)
        {
            var (writer, reader) = pattern.Messages[i].FromInitiator ? (initiator, responder) : (responder, initiator);
            byte[] honest = writer.WriteMessage([(byte)i]);
            byte[] message = honest;
            if (i == target)
            {
                (honestAtTarget, message) = (honest, fuzzed);
            }
            try
            {
                reader.ReadMessage(message);
            }
            catch (NoiseException)
            {
                RequireUnusable(reader, message);
                return;
            }
        }
        FuzzFindingException.Require(fuzzed.AsSpan().SequenceEqual(honestAtTarget), "a handshake completes only if the fuzzed message was the honest one");
        RequireAgreement(initiator, responder, pattern.IsOneWay);
    }

    private static HandshakeState Party(NoiseProtocolName protocol, bool initiator)
    {
        var pattern = protocol.Pattern;
        var remote = initiator ? pattern.ResponderPreMessage : pattern.InitiatorPreMessage;
        return new HandshakeState(
            protocol,
            initiator,
            "noise-handshake fuzz"u8,
            initiator ? InitiatorStatic : ResponderStatic,
            remote.Contains(HandshakeToken.S) ? (initiator ? ResponderStatic : InitiatorStatic).PublicKey : null,
            [.. Enumerable.Repeat(Psk, pattern.PskCount)]);
    }

    private static void RequireUnusable(HandshakeState state, byte[] message)
    {
        FuzzFindingException.Require(state.HasFailed && !state.IsMyTurn && !state.IsComplete, "a refused read leaves the state failed");
        FuzzFindingException.Require(Throws(() => state.ReadMessage(message)), "ReadMessage after a failure throws InvalidOperationException");
        FuzzFindingException.Require(Throws(() => state.WriteMessage([])), "WriteMessage after a failure throws InvalidOperationException");
        FuzzFindingException.Require(Throws(() => state.TakeTransport()), "TakeTransport after a failure throws InvalidOperationException");
    }

    private static void RequireAgreement(HandshakeState initiator, HandshakeState responder, bool oneWay)
    {
        using var a = initiator.TakeTransport();
        using var b = responder.TakeTransport();
        FuzzFindingException.Require(a.HandshakeHash.SequenceEqual(b.HandshakeHash), "completed parties agree on the handshake hash");
        RequireTransport(a, b);
        if (!oneWay)
        {
            RequireTransport(b, a);
        }
    }

    private static void RequireTransport(TransportState sender, TransportState receiver)
    {
        byte[] message = new byte[3 + NoiseLimits.TagLength], payload = new byte[3];
        sender.WriteMessage([1, 2, 3], message);
        receiver.ReadMessage(message, payload);
        FuzzFindingException.Require(payload.AsSpan().SequenceEqual((byte[])[1, 2, 3]), "a transport message goes through after the handshake");
    }

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
