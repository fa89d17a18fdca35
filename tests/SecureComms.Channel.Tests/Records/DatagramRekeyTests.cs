using System.Buffers.Binary;
using SecureComms.Channel.Records;

namespace SecureComms.Channel.Tests.Records;

/// <summary>
/// Rekeying of the UDP record layer (Noise §11.3 REKEY, epoch = counter / 2^23): by count and by timer, in both
/// directions; old-key records after the switch; a late reordered record from just before it.
/// </summary>
public sealed class DatagramRekeyTests
{
    private static readonly byte[] Payload = TestBytes.Random(40);

    private static ulong CounterOf(byte[] datagram) => BinaryPrimitives.ReadUInt64BigEndian(datagram.AsSpan(1, 8));

    [Fact]
    public void CountRekeyDeliversALateRecordFromThePreviousEpochOnce()
    {
        using var session = new RecordSession();
        using var sealer = session.Initiator.CreateDatagramSealer();
        using var opener = session.Responder.CreateDatagramOpener();
        sealer.SkipTo(RecordLimits.RecordsPerKey - 2);
        var late = DatagramRecordTests.Seal(sealer, Payload);
        var lastOfEpoch0 = DatagramRecordTests.Seal(sealer, Payload);
        Assert.Equal(0UL, sealer.Epoch);
        var firstOfEpoch1 = DatagramRecordTests.Seal(sealer, Payload);
        Assert.Equal(1UL, sealer.Epoch);
        Assert.Equal(RecordLimits.RecordsPerKey, CounterOf(firstOfEpoch1));

        Assert.Equal(DatagramOutcome.Delivered, DatagramRecordTests.Open(opener, firstOfEpoch1, out var p).Outcome);
        Assert.Equal(Payload, p);
        Assert.Equal(1UL, opener.Epoch);
        // Sealed under the epoch-0 key just before the switch, arriving after it: within the window, delivered once.
        Assert.Equal(DatagramOutcome.Delivered, DatagramRecordTests.Open(opener, late, out p).Outcome);
        Assert.Equal(Payload, p);
        Assert.Equal(DatagramDropReason.Duplicate, DatagramRecordTests.Open(opener, late, out _).Reason);
        Assert.Equal(1UL, opener.Epoch);

        // The same bytes sealed under the old key but labelled with a new-epoch counter: the tag fails.
        var relabelled = (byte[])lastOfEpoch0.Clone();
        BinaryPrimitives.WriteUInt64BigEndian(relabelled.AsSpan(1, 8), RecordLimits.RecordsPerKey + 1);
        Assert.Equal(DatagramDropReason.BadTag, DatagramRecordTests.Open(opener, relabelled, out _).Reason);
        Assert.Equal(DatagramOutcome.Delivered, DatagramRecordTests.Open(opener, lastOfEpoch0, out _).Outcome);
    }

    [Fact]
    public void OldKeyRecordsAfterTwoSwitchesAreDropped()
    {
        using var session = new RecordSession();
        using var sealer = session.Initiator.CreateDatagramSealer();
        using var opener = session.Responder.CreateDatagramOpener();
        var epoch0 = DatagramRecordTests.Seal(sealer, Payload);
        sealer.SkipTo(RecordLimits.RecordsPerKey);
        var epoch1 = DatagramRecordTests.Seal(sealer, Payload);
        sealer.SkipTo(2 * RecordLimits.RecordsPerKey);
        var epoch2 = DatagramRecordTests.Seal(sealer, Payload);

        Assert.Equal(DatagramOutcome.Delivered, DatagramRecordTests.Open(opener, epoch2, out _).Outcome);
        Assert.Equal(2UL, opener.Epoch);
        Assert.Equal(DatagramDropReason.TooOld, DatagramRecordTests.Open(opener, epoch1, out _).Reason);
        Assert.Equal(DatagramDropReason.TooOld, DatagramRecordTests.Open(opener, epoch0, out _).Reason);
        Assert.Equal(DatagramDropReason.Duplicate, DatagramRecordTests.Open(opener, epoch2, out _).Reason);
    }

    [Fact]
    public void TimerRekeyJumpsToTheNextEpochAndTheReceiverFollowsInBothDirections()
    {
        var clock = new ManualClock();
        using var session = new RecordSession();
        using var aliceOut = session.Initiator.CreateDatagramSealer(clock);
        using var bobIn = session.Responder.CreateDatagramOpener();
        using var bobOut = session.Responder.CreateDatagramSealer(clock);
        using var aliceIn = session.Initiator.CreateDatagramOpener();

        var before = DatagramRecordTests.Seal(aliceOut, Payload);
        var bobBefore = DatagramRecordTests.Seal(bobOut, Payload);
        clock.Advance(RecordLimits.RekeyAfterTime - TimeSpan.FromSeconds(1));
        Assert.Equal(1UL, CounterOf(DatagramRecordTests.Seal(aliceOut, Payload)));
        clock.Advance(TimeSpan.FromSeconds(1));
        var after = DatagramRecordTests.Seal(aliceOut, Payload);
        var bobAfter = DatagramRecordTests.Seal(bobOut, Payload);
        Assert.Equal(RecordLimits.RecordsPerKey, CounterOf(after));
        Assert.Equal(1UL, aliceOut.Epoch);
        Assert.Equal(1UL, bobOut.Epoch);

        Assert.Equal(DatagramOutcome.Delivered, DatagramRecordTests.Open(bobIn, after, out var p).Outcome);
        Assert.Equal(Payload, p);
        Assert.Equal(1UL, bobIn.Epoch);
        // Documented: after a timer rekey the counter jumped 2^23, so a late record from before is too old.
        Assert.Equal(DatagramDropReason.TooOld, DatagramRecordTests.Open(bobIn, before, out _).Reason);

        Assert.Equal(DatagramOutcome.Delivered, DatagramRecordTests.Open(aliceIn, bobAfter, out _).Outcome);
        Assert.Equal(DatagramDropReason.TooOld, DatagramRecordTests.Open(aliceIn, bobBefore, out _).Reason);
    }

    [Fact]
    public void EpochsSkippedWhileNothingArrivedAreDerivedOnTheFirstAuthenticRecord()
    {
        var clock = new ManualClock();
        using var session = new RecordSession();
        using var sealer = session.Initiator.CreateDatagramSealer(clock);
        using var opener = session.Responder.CreateDatagramOpener();
        for (int i = 0; i < 3; i++)
        {
            DatagramRecordTests.Seal(sealer, Payload); // lost
            clock.Advance(RecordLimits.RekeyAfterTime);
        }
        var arrives = DatagramRecordTests.Seal(sealer, Payload);
        Assert.Equal(3UL, sealer.Epoch);
        Assert.Equal(DatagramOutcome.Delivered, DatagramRecordTests.Open(opener, arrives, out var p).Outcome);
        Assert.Equal(Payload, p);
        Assert.Equal(3UL, opener.Epoch);
        Assert.Equal(DatagramOutcome.Delivered, DatagramRecordTests.Open(opener, DatagramRecordTests.Seal(sealer, Payload), out _).Outcome);
    }
}
