using SecureComms.Channel.Noise;

namespace SecureComms.Channel.Tests.Noise;

/// <summary>
/// Transport after an XX and an IK handshake: Rekey (§11.3) must be done on both ends to keep talking; SetNonce
/// (§11.4) reads out-of-order messages; the directions use different keys; a replayed message is refused once the
/// nonce has moved on.
/// </summary>
public sealed class TransportStateTests
{
    [Theory]
    [InlineData("XX")]
    [InlineData("IK")]
    public void RekeyOnBothEndsKeepsTheChannelOneEndBreaksIt(string section)
    {
        using var run = new Handshakes(section);
        run.Complete();
        using var a = run.Initiator.TakeTransport();
        using var b = run.Responder.TakeTransport();
        Assert.Equal([1, 2], Send(a, b, [1, 2]));
        a.Sender!.Rekey();
        b.Receiver!.Rekey();
        Assert.Equal([3], Send(a, b, [3]));
        a.Sender.Rekey();
        byte[] message = new byte[17];
        a.WriteMessage([4], message);
        Assert.Equal(NoiseError.DecryptionFailed, Assert.Throws<NoiseException>(() => b.ReadMessage(message, new byte[1])).Reason);
    }

    [Fact]
    public void SetNonceReadsOutOfOrderAndDirectionsDiffer()
    {
        using var run = new Handshakes("XX");
        run.Complete();
        using var a = run.Initiator.TakeTransport();
        using var b = run.Responder.TakeTransport();
        byte[] first = new byte[17], second = new byte[17];
        a.WriteMessage([1], first);
        a.WriteMessage([2], second);
        byte[] read = new byte[1];
        b.Receiver!.SetNonce(1);
        b.ReadMessage(second, read);
        Assert.Equal([2], read);
        b.Receiver.SetNonce(0);
        b.ReadMessage(first, read);
        Assert.Equal([1], read);
        Assert.Equal(NoiseError.DecryptionFailed, Assert.Throws<NoiseException>(() => b.ReadMessage(first, read)).Reason); // n is now 1
        Assert.Equal(NoiseError.DecryptionFailed, Assert.Throws<NoiseException>(() => a.ReadMessage(second, read)).Reason); // other direction's key
    }

    [Fact]
    public void TransportIsTakenOnceAndNotBeforeCompletion()
    {
        using var run = new Handshakes("NN");
        Assert.Throws<InvalidOperationException>(() => run.Initiator.TakeTransport());
        run.Complete();
        using var t = run.Initiator.TakeTransport();
        Assert.Throws<InvalidOperationException>(() => run.Initiator.TakeTransport());
        Assert.Throws<InvalidOperationException>(() => run.Initiator.WriteMessage([]));
        Assert.Throws<NotSupportedException>(() => ((IList<byte>)t.HandshakeHash)[0] = 1);
    }

    private static byte[] Send(TransportState from, TransportState to, byte[] payload)
    {
        byte[] message = new byte[payload.Length + 16], read = new byte[payload.Length];
        from.WriteMessage(payload, message);
        to.ReadMessage(message, read);
        return read;
    }
}
