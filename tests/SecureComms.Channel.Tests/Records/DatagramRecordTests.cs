using System.Buffers.Binary;
using SecureComms.Channel.Noise;
using SecureComms.Channel.Records;
using SecureComms.Crypto;

namespace SecureComms.Channel.Tests.Records;

/// <summary>
/// Scenarios of the UDP record layer between the two halves of a real XX handshake: delivery, keepalives, replays,
/// reordering, forgeries that must not move the window or the key, garbage, and the counter's end.
/// </summary>
public sealed class DatagramRecordTests
{
    private static readonly byte[] Payload = TestBytes.Random(100);

    internal static byte[] Seal(DatagramSealer sealer, byte[] payload)
    {
        var datagram = new byte[payload.Length + RecordLimits.DatagramOverheadInBytes];
        Assert.True(sealer.TrySeal(payload, datagram, out int written));
        Assert.Equal(datagram.Length, written);
        return datagram;
    }

    internal static DatagramOpenResult Open(DatagramOpener opener, byte[] datagram, out byte[] payload)
    {
        var buffer = new byte[RecordLimits.MaxDatagramPayloadLength];
        var result = opener.Open(datagram, buffer);
        payload = buffer[..result.PayloadLength];
        return result;
    }

    [Fact]
    public void RecordsFlowBothWaysUnderTheSplitKeys()
    {
        using var session = new RecordSession();
        using var aliceOut = session.Initiator.CreateDatagramSealer();
        using var bobIn = session.Responder.CreateDatagramOpener();
        using var bobOut = session.Responder.CreateDatagramSealer();
        using var aliceIn = session.Initiator.CreateDatagramOpener();

        var toBob = Seal(aliceOut, Payload);
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64BigEndian(toBob.AsSpan(1, 8)));
        Assert.Equal((byte)RecordType.Data, toBob[0]);
        Assert.False(toBob.AsSpan(RecordLimits.DatagramHeaderSizeInBytes, Payload.Length).SequenceEqual(Payload));
        var result = Open(bobIn, toBob, out var received);
        Assert.Equal(DatagramOutcome.Delivered, result.Outcome);
        Assert.Equal(Payload, received);

        var toAlice = Seal(bobOut, [1, 2, 3]);
        Assert.Equal(DatagramOutcome.Delivered, Open(aliceIn, toAlice, out received).Outcome);
        Assert.Equal(new byte[] { 1, 2, 3 }, received);
        // A direction's key does not open the other direction's records.
        Assert.Equal(DatagramDropReason.BadTag, Open(aliceIn, Seal(aliceOut, Payload), out _).Reason);
    }

    [Fact]
    public void KeysAreTakenFromTheTransportOnceAndNeverTwice()
    {
        using var run = new Handshakes("IK");
        run.Complete();
        using var transport = run.Initiator.TakeTransport();
        using var keys = RecordKeys.TakeFrom(transport);
        Assert.Throws<ObjectDisposedException>(() => transport.WriteMessage([], new byte[64]));
        Assert.Throws<ObjectDisposedException>(() => RecordKeys.TakeFrom(transport));
        using var sealer = keys.CreateDatagramSealer();
        Assert.Throws<InvalidOperationException>(() => keys.CreateStreamWriter(new MemoryStream()));
        Assert.DoesNotContain("0x", keys.ToString() + sealer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void KeepaliveIsAuthenticatedButNotDelivered()
    {
        using var session = new RecordSession();
        using var sealer = session.Initiator.CreateDatagramSealer();
        using var opener = session.Responder.CreateDatagramOpener();
        var keepalive = new byte[RecordLimits.DatagramOverheadInBytes];
        Assert.True(sealer.TrySealKeepalive(keepalive, out int written));
        Assert.Equal(RecordLimits.DatagramOverheadInBytes, written);

        var result = Open(opener, keepalive, out _);
        Assert.Equal(DatagramOutcome.Keepalive, result.Outcome);
        Assert.Equal(0, result.PayloadLength);
        Assert.Equal(DatagramDropReason.Duplicate, Open(opener, keepalive, out _).Reason);

        var forged = (byte[])keepalive.Clone();
        forged[8] ^= 1; // counter 1, unused: only the tag can refuse it
        Assert.Equal(DatagramDropReason.BadTag, Open(opener, forged, out _).Reason);
    }

    [Fact]
    public void ReorderedRecordsAreDeliveredOnceAndReplaysDropped()
    {
        using var session = new RecordSession();
        using var sealer = session.Initiator.CreateDatagramSealer();
        using var opener = session.Responder.CreateDatagramOpener();
        var records = Enumerable.Range(0, 5).Select(i => Seal(sealer, [(byte)i])).ToArray();
        foreach (int i in new[] { 3, 0, 4, 1 })
        {
            Assert.Equal(DatagramOutcome.Delivered, Open(opener, records[i], out var p).Outcome);
            Assert.Equal(new[] { (byte)i }, p);
        }
        Assert.Equal(DatagramDropReason.Duplicate, Open(opener, records[3], out _).Reason);
        Assert.Equal(DatagramDropReason.Duplicate, Open(opener, records[0], out _).Reason);
        Assert.Equal(DatagramOutcome.Delivered, Open(opener, records[2], out _).Outcome);
    }

    [Fact]
    public void TooOldRecordIsDropped()
    {
        using var session = new RecordSession();
        using var sealer = session.Initiator.CreateDatagramSealer();
        using var opener = session.Responder.CreateDatagramOpener();
        var old = Seal(sealer, Payload);
        sealer.SkipTo(RecordLimits.ReplayWindowSize);
        Assert.Equal(DatagramOutcome.Delivered, Open(opener, Seal(sealer, Payload), out _).Outcome);
        Assert.Equal(DatagramDropReason.TooOld, Open(opener, old, out _).Reason);
    }

    [Fact]
    public void ForgedFarJumpMovesNeitherWindowNorKeyAndLeavesNoPlaintext()
    {
        using var session = new RecordSession();
        using var sealer = session.Initiator.CreateDatagramSealer();
        using var opener = session.Responder.CreateDatagramOpener();
        var early = Seal(sealer, Payload);
        var forged = (byte[])Seal(sealer, Payload).Clone();
        // Counter 3 epochs ahead: far past the window, and under a key the opener derives but must not adopt.
        BinaryPrimitives.WriteUInt64BigEndian(forged.AsSpan(1, 8), 3 * RecordLimits.RecordsPerKey + 5);
        var buffer = new byte[RecordLimits.MaxDatagramPayloadLength];
        buffer.AsSpan().Fill(0xAA);
        var result = opener.Open(forged, buffer);
        Assert.Equal(DatagramDropReason.BadTag, result.Reason);
        Assert.True(buffer.AsSpan(0, Payload.Length).IndexOfAnyExcept((byte)0) < 0, "a failed open zeroes what it wrote");
        Assert.Equal(0UL, opener.HighestCounter);
        Assert.Equal(0UL, opener.Epoch);

        // Had the forgery committed, counter 0 would be too old (and under a retired key): it is still delivered.
        Assert.Equal(DatagramOutcome.Delivered, Open(opener, early, out var p).Outcome);
        Assert.Equal(Payload, p);

        BinaryPrimitives.WriteUInt64BigEndian(forged.AsSpan(1, 8), (RecordLimits.MaxEpochsAhead + 1) * RecordLimits.RecordsPerKey);
        Assert.Equal(DatagramDropReason.KeyTooFarAhead, Open(opener, forged, out _).Reason);
    }

    [Fact]
    public void GarbageIsDroppedWithItsReasonBeforeDecryption()
    {
        using var session = new RecordSession();
        using var sealer = session.Initiator.CreateDatagramSealer();
        using var opener = session.Responder.CreateDatagramOpener();
        var good = Seal(sealer, Payload);

        Assert.Equal(DatagramDropReason.TooShort, Open(opener, good[..(RecordLimits.DatagramOverheadInBytes - 1)], out _).Reason);
        Assert.Equal(DatagramDropReason.TooLong, Open(opener, new byte[RecordLimits.MaxDatagramLength + 1], out _).Reason);
        var unknown = (byte[])good.Clone();
        unknown[0] = 0x7F;
        Assert.Equal(DatagramDropReason.UnknownType, Open(opener, unknown, out _).Reason);
        var fatKeepalive = (byte[])good.Clone();
        fatKeepalive[0] = (byte)RecordType.Keepalive;
        Assert.Equal(DatagramDropReason.KeepaliveWithPayload, Open(opener, fatKeepalive, out _).Reason);
        var reserved = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt64BigEndian(reserved.AsSpan(1, 8), ulong.MaxValue);
        Assert.Equal(DatagramDropReason.ReservedCounter, Open(opener, reserved, out _).Reason);
        var retyped = (byte[])good.Clone();
        retyped[0] = (byte)RecordType.Keepalive;
        Assert.Equal(DatagramDropReason.BadTag, Open(opener, retyped[..RecordLimits.DatagramOverheadInBytes], out _).Reason);
        Assert.Equal(DatagramDropReason.BufferTooSmall, opener.Open(good, new byte[Payload.Length - 1]).Reason);

        Assert.Equal(DatagramOutcome.Delivered, Open(opener, good, out var p).Outcome);
        Assert.Equal(Payload, p);
    }

    [Fact]
    public void CounterNeverWrapsPastTheReservedValue()
    {
        using var session = new RecordSession();
        using var sealer = session.Initiator.CreateDatagramSealer();
        // 2^64 − 1 is where the counter stands after sealing 2^64 − 2 (deriving the 2^41 keys on the way is skipped).
        sealer.SkipTo(NoiseLimits.ReservedNonce);
        var datagram = new byte[200];
        datagram.AsSpan().Fill(0x55);
        Assert.False(sealer.TrySeal(Payload, datagram, out int written));
        Assert.Equal(0, written);
        Assert.False(sealer.TrySealKeepalive(datagram, out _));
        Assert.True(datagram.AsSpan().IndexOfAnyExcept((byte)0x55) < 0, "a refused seal writes nothing");
        Assert.Equal(NoiseLimits.ReservedNonce, sealer.NextCounter);
        Assert.Throws<ArgumentException>(() => sealer.TrySeal(new byte[RecordLimits.MaxDatagramPayloadLength + 1], new byte[70000], out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => sealer.SkipTo(0));
    }
}
