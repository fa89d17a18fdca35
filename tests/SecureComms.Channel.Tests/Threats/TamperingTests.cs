using SecureComms.Channel.Noise;
using SecureComms.Crypto;

namespace SecureComms.Channel.Tests.Threats;

/// <summary>
/// A handshake message changed in flight never yields a completed handshake: for every pattern and every byte of
/// every handshake message, flipping it makes a ReadMessage (that one or a later one, since a cleartext key or
/// payload is authenticated by the next tag through <c>h</c>) throw <see cref="NoiseException"/>, and the party that
/// refused is unusable. Also: short, long, garbage and oversized messages, and small-order keys.
/// </summary>
public sealed class TamperingTests
{
    public static TheoryData<string> Patterns() => [.. HandshakePattern.BaseNames.Concat(["XXpsk3", "IKpsk2", "NNpsk0+psk2"])];

    [Theory, MemberData(nameof(Patterns))]
    public void AnyFlippedHandshakeByteFailsTheHandshake(string section)
    {
        using var reference = new Handshakes(section);
        var lengths = reference.Complete(i => [(byte)i, 0xAA]).Select(m => m.Length).ToList();
        for (int message = 0; message < lengths.Count; message++)
        {
            for (int position = 0; position < lengths[message]; position++)
            {
                // 0x80 on the last byte of a key flips bit 255, which X25519 ignores: h must still catch it.
                byte mask = position % 32 == 31 ? (byte)0x80 : (byte)0x01;
                AssertTamperingRefused(section, message, position, mask);
            }
        }
    }

    [Theory]
    [InlineData("XX", 0)]
    [InlineData("XX", 1)]
    [InlineData("IK", 0)]
    [InlineData("NK", 1)]
    public void TruncatedMessageIsMessageTooShortAndLeavesStateUnusable(string section, int index)
    {
        using var run = new Handshakes(section);
        for (int i = 0; i < index; i++)
        {
            var (w, r) = run.Turn(i);
            r.ReadMessage(w.WriteMessage([]));
        }
        var (writer, reader) = run.Turn(index);
        byte[] message = writer.WriteMessage([]);
        var e = Assert.Throws<NoiseException>(() => reader.ReadMessage(message.AsSpan(0, message.Length - 1)));
        Assert.Equal(NoiseError.MessageTooShort, e.Reason);
        AssertUnusable(reader, message);
    }

    /// <summary>Empty input is MessageTooShort for every pattern; random input of any length is either a typed
    /// refusal or, where the first message is cleartext (e.g. NN's <c>-&gt; e</c>), accepted as a key and payload.</summary>
    [Fact]
    public void EmptyAndGarbageMessagesAreTypedErrors()
    {
        foreach (string section in HandshakePattern.BaseNames)
        {
            using var empty = new Handshakes(section);
            Assert.Equal(NoiseError.MessageTooShort, Assert.Throws<NoiseException>(() => empty.Responder.ReadMessage([])).Reason);
            for (int length = 0; length < 200; length += 9)
            {
                using var garbage = new Handshakes(section);
                byte[] random = TestBytes.Random(length);
                var e = Record.Exception(() => garbage.Responder.ReadMessage(random));
                Assert.True(e is null or NoiseException, $"{section}, {length} random bytes: {e?.GetType().Name}");
                Assert.Equal(e is not null, garbage.Responder.HasFailed);
            }
        }
    }

    [Fact]
    public void ExtraByteIsRefusedAsDecryptionFailure()
    {
        using var run = new Handshakes("IK");
        byte[] message = [.. run.Initiator.WriteMessage([9]), 0];
        Assert.Equal(NoiseError.DecryptionFailed, Assert.Throws<NoiseException>(() => run.Responder.ReadMessage(message)).Reason);
    }

    [Fact]
    public void MessageOver65535BytesIsRefusedAndPayloadOverLimitIsMisuse()
    {
        using var run = new Handshakes("NN");
        var e = Assert.Throws<NoiseException>(() => run.Responder.ReadMessage(new byte[NoiseLimits.MaxMessageLength + 1]));
        Assert.Equal(NoiseError.MessageTooLarge, e.Reason);
        Assert.True(run.Responder.HasFailed);
        Assert.Throws<ArgumentException>(() => run.Initiator.WriteMessage(new byte[NoiseLimits.MaxMessageLength - 31]));
        Assert.False(run.Initiator.HasFailed); // misuse changes nothing
        Assert.Equal(NoiseLimits.MaxMessageLength, run.Initiator.WriteMessage(new byte[NoiseLimits.MaxMessageLength - 32]).Length);
    }

    /// <summary>A small-order ephemeral key (u = 0, u = 1) from the responder makes ee all-zero: NonContributoryKey.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void SmallOrderEphemeralIsNonContributory(byte u)
    {
        using var run = new Handshakes("XX");
        run.Responder.ReadMessage(run.Initiator.WriteMessage([]));
        byte[] forged = new byte[32 + 48 + 16];
        forged[0] = u;
        var e = Assert.Throws<NoiseException>(() => run.Initiator.ReadMessage(forged));
        Assert.Equal(NoiseError.NonContributoryKey, e.Reason);
        AssertUnusable(run.Initiator, forged);
    }

    /// <summary>A refused read zeroes the caller's payload buffer (no unauthenticated plaintext).</summary>
    [Fact]
    public void RefusedReadZeroesThePayloadBuffer()
    {
        using var run = new Handshakes("IK");
        byte[] message = run.Initiator.WriteMessage(new byte[40]);
        message[^1] ^= 1;
        byte[] payload = Enumerable.Repeat((byte)0xEE, 64).ToArray();
        Assert.Throws<NoiseException>(() => run.Responder.ReadMessage(message, payload));
        Assert.All(payload.Take(40), b => Assert.Equal(0, b));
    }

    /// <summary>Out-of-turn calls and a payload buffer too small are misuse: they throw and change nothing.</summary>
    [Fact]
    public void MisuseChangesNothing()
    {
        using var run = new Handshakes("XX");
        Assert.Throws<InvalidOperationException>(() => run.Responder.WriteMessage([]));
        Assert.Throws<InvalidOperationException>(() => run.Initiator.ReadMessage(new byte[32]));
        byte[] message = run.Initiator.WriteMessage([1, 2, 3, 4]);
        Assert.Throws<ArgumentException>(() => run.Responder.ReadMessage(message, new byte[3]));
        Assert.False(run.Responder.HasFailed);
        Assert.Equal([1, 2, 3, 4], run.Responder.ReadMessage(message));
    }

    private static void AssertTamperingRefused(string section, int target, int position, byte mask)
    {
        using var run = new Handshakes(section);
        for (int i = 0; i < run.Protocol.Pattern.Messages.Count; i++)
        {
            var (writer, reader) = run.Turn(i);
            byte[] message = writer.WriteMessage([(byte)i, 0xAA]);
            if (i == target)
            {
                message[position] ^= mask;
            }
            if (Record.Exception(() => reader.ReadMessage(message)) is Exception e)
            {
                Assert.True(e is NoiseException, $"{section} message {target} byte {position}: {e.GetType().Name} escaped");
                Assert.True(i >= target);
                AssertUnusable(reader, message);
                return;
            }
        }
        Assert.Fail($"{section}: flipping byte {position} of message {target} went unnoticed");
    }

    private static void AssertUnusable(HandshakeState state, byte[] message)
    {
        Assert.True(state.HasFailed);
        Assert.False(state.IsMyTurn);
        Assert.Throws<InvalidOperationException>(() => state.ReadMessage(message));
        Assert.Throws<InvalidOperationException>(() => state.WriteMessage([]));
        Assert.Throws<InvalidOperationException>(() => state.TakeTransport());
    }
}
