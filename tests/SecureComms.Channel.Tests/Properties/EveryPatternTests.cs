using SecureComms.Channel.Noise;

namespace SecureComms.Channel.Tests.Properties;

/// <summary>
/// Every pattern of the table (one-way, fundamental, deferred), bare and with psk modifiers (first, last, and two at
/// once), with fresh random keys: both roles complete, agree on the handshake hash, learn the right static keys,
/// read every handshake payload, and exchange transport messages in each direction the pattern allows.
/// </summary>
public sealed class EveryPatternTests
{
    public static TheoryData<string> Sections()
    {
        var data = new TheoryData<string>();
        foreach (string name in HandshakePattern.BaseNames)
        {
            int last = NoiseProtocolName.ForPattern(name).Pattern.Messages.Count;
            data.Add(name);
            data.Add($"{name}psk0");
            data.Add($"{name}psk{last}");
            data.Add($"{name}psk0+psk{last}");
        }
        return data;
    }

    [Theory, MemberData(nameof(Sections))]
    public void CompletesAndTransportsInBothRoles(string section)
    {
        using var run = new Handshakes(section);
        var pattern = run.Protocol.Pattern;
        run.Complete(i => TestBytes.Random(i * 7 + 1));
        Assert.True(run.Initiator.IsComplete && run.Responder.IsComplete);
        using var initiator = run.Initiator.TakeTransport();
        using var responder = run.Responder.TakeTransport();
        Assert.Equal(initiator.HandshakeHash, responder.HandshakeHash);
        Assert.Equal(32, initiator.HandshakeHash.Count);

        bool initiatorHasStatic = pattern.InitiatorPreMessage.Contains(HandshakeToken.S)
            || pattern.Messages.Any(m => m.FromInitiator && m.Tokens.Contains(HandshakeToken.S));
        bool responderHasStatic = pattern.ResponderPreMessage.Contains(HandshakeToken.S)
            || pattern.Messages.Any(m => !m.FromInitiator && m.Tokens.Contains(HandshakeToken.S));
        Assert.Equal(responderHasStatic ? run.ResponderStatic.PublicKey : null, initiator.RemoteStaticKey);
        Assert.Equal(initiatorHasStatic ? run.InitiatorStatic.PublicKey : null, responder.RemoteStaticKey);

        AssertTransports(initiator, responder);
        if (pattern.IsOneWay)
        {
            Assert.Null(initiator.Receiver);
            Assert.Null(responder.Sender);
            Assert.Throws<InvalidOperationException>(() => responder.WriteMessage([], new byte[16]));
        }
        else
        {
            AssertTransports(responder, initiator);
        }
    }

    /// <summary>Parties with different prologues (§6) and otherwise the right keys never complete: a read is refused
    /// as DecryptionFailed and that party is unusable.</summary>
    [Theory, MemberData(nameof(Sections))]
    public void DifferentProloguesNeverComplete(string section)
    {
        using var run = new Handshakes(section, "one prologue"u8.ToArray(), "another prologue"u8.ToArray());
        NoiseException? refused = null;
        HandshakeState? reader = null;
        for (int i = 0; i < run.Protocol.Pattern.Messages.Count && refused is null; i++)
        {
            var (writer, r) = run.Turn(i);
            reader = r;
            refused = Record.Exception(() => r.ReadMessage(writer.WriteMessage([1, 2, 3]))) as NoiseException;
        }
        Assert.NotNull(refused);
        Assert.Equal(NoiseError.DecryptionFailed, refused.Reason);
        Assert.True(reader!.HasFailed);
    }

    private static void AssertTransports(TransportState sender, TransportState receiver)
    {
        for (int length = 0; length < 40; length += 13)
        {
            byte[] payload = TestBytes.Random(length), message = new byte[length + 16], read = new byte[length];
            Assert.Equal(length + 16, sender.WriteMessage(payload, message));
            Assert.Equal(length, receiver.ReadMessage(message, read));
            Assert.Equal(payload, read);
        }
    }
}
