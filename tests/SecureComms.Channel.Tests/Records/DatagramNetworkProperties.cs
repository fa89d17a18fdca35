using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SecureComms.Channel.Records;

namespace SecureComms.Channel.Tests.Records;

/// <summary>
/// FsCheck: a hostile network between a sealer and an opener. The sender seals a stream of datagrams with counter
/// gaps (small, past the replay window, and across key epochs); the network then delivers any of them in any order,
/// any number of times (drop = never chosen, reorder, duplicate), and forges copies with one bit flipped.
/// </summary>
public sealed class DatagramNetworkProperties
{
    private const int Datagrams = 24;

    private sealed record Action(bool Forge, int Index, int Bit);

    private static readonly Gen<ulong[]> Gaps = Gen.ArrayOf(
        Gen.Frequency(
            (12, Gen.Constant(0UL)),
            (2, Gen.Choose(1, 100).Select(i => (ulong)i)),
            (1, Gen.Constant(RecordLimits.ReplayWindowSize + 1)),
            (1, Gen.Constant(RecordLimits.RecordsPerKey))),
        Datagrams);

    private static readonly Gen<Action> OneAction =
        from forge in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from index in Gen.Choose(0, Datagrams - 1)
        from bit in Gen.Choose(0, (16 + RecordLimits.DatagramOverheadInBytes) * 8 - 1)
        select new Action(forge, index, bit);

    private static readonly Gen<(ulong[] Gaps, Action[] Actions)> Scenario =
        from gaps in Gaps
        from actions in Gen.ListOf(OneAction).Select(a => a.ToArray())
        select (gaps, actions);

    [Property(MaxTest = 200)]
    public Property AuthenticRecordsAtMostOnceForgedNeverAndEveryDeliverableOneDelivered() => Prop.ForAll(Scenario.ToArbitrary(), scenario =>
    {
        using var session = new RecordSession();
        using var sealer = session.Initiator.CreateDatagramSealer();
        using var opener = session.Responder.CreateDatagramOpener();
        var sent = new byte[Datagrams][];
        var payloads = new byte[Datagrams][];
        for (int i = 0; i < Datagrams; i++)
        {
            sealer.SkipTo(sealer.NextCounter + scenario.Gaps[i]);
            payloads[i] = TestBytes.Random(16);
            sent[i] = DatagramRecordTests.Seal(sealer, payloads[i]);
        }

        var delivered = new HashSet<ulong>();
        ulong highest = 0;
        var buffer = new byte[RecordLimits.MaxDatagramPayloadLength];
        foreach (var action in scenario.Actions)
        {
            byte[] datagram = (byte[])sent[action.Index].Clone();
            ulong counter = BinaryPrimitives.ReadUInt64BigEndian(datagram.AsSpan(1, 8));
            if (action.Forge)
            {
                datagram[action.Bit / 8] ^= (byte)(1 << (action.Bit % 8));
            }
            var result = opener.Open(datagram, buffer);
            if (action.Forge)
            {
                if (result.Outcome != DatagramOutcome.Dropped)
                {
                    return false.Label($"forged copy of {action.Index} accepted");
                }
                continue;
            }
            bool deliverable = !delivered.Contains(counter) && (delivered.Count == 0 || counter > highest || highest - counter < RecordLimits.ReplayWindowSize);
            if (result.Outcome == DatagramOutcome.Delivered)
            {
                if (!deliverable || result.Counter != counter || !buffer.AsSpan(0, result.PayloadLength).SequenceEqual(payloads[action.Index]))
                {
                    return false.Label($"record {action.Index} (counter {counter}) delivered wrongly or twice");
                }
                delivered.Add(counter);
                highest = Math.Max(highest, counter);
            }
            else if (deliverable)
            {
                return false.Label($"record {action.Index} (counter {counter}) within the window dropped: {result.Reason}");
            }
        }
        return opener.HighestCounter == highest ? true.ToProperty() : false.Label("the window's top is the highest delivered counter");
    });
}
