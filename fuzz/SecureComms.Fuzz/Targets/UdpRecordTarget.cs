using System.Buffers.Binary;
using SecureComms.Channel.Records;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// Fuzz target <c>udp-record</c>: <see cref="DatagramOpener.Open"/> fed the input as one datagram, then the input as
/// a script of network actions over honest sealed datagrams (deliver, duplicate, reorder, flip a bit, truncate,
/// keepalive).
/// </summary>
/// <remarks>
/// <para><b>Input.</b> The whole input is first one datagram. Then each byte <c>b</c> is an action: <c>b &amp; 3</c> =
/// 0 deliver honest record <c>(b &gt;&gt; 2) % 8</c>; 1 deliver it with bit <c>next byte</c> flipped; 2 deliver it cut
/// to <c>next byte</c> bytes; 3 seal and deliver a keepalive (while the counter is below half the window). The eight honest records are sealed up front with
/// payloads from <see cref="RecordFuzzSession.Payload"/>.</para>
/// <para><b>Oracles.</b> Nothing escapes Open (drops are values). The raw input is dropped (an input cannot carry a
/// tag under the per-run keys) and leaves the window untouched. An honest record is delivered exactly when it was
/// not delivered before (all eight are within one window), to its own payload; a flipped or cut copy is never
/// delivered; a keepalive is recognised and delivers nothing.</para>
/// </remarks>
public static class UdpRecordTarget
{
    /// <summary>The target's name on the command line and in <c>fuzz/corpus/</c>.</summary>
    public const string Name = "udp-record";

    private const int Honest = 8;

    /// <summary>Runs one input.</summary>
    public static void Target(ReadOnlySpan<byte> data)
    {
        using var session = new RecordFuzzSession();
        using var sealer = session.Sender.CreateDatagramSealer();
        using var opener = session.Receiver.CreateDatagramOpener();
        var records = new byte[Honest][];
        for (int i = 0; i < Honest; i++)
        {
            var payload = RecordFuzzSession.Payload(i);
            records[i] = new byte[payload.Length + RecordLimits.DatagramOverheadInBytes];
            FuzzFindingException.Require(sealer.TrySeal(payload, records[i], out _), "a fresh sealer seals");
        }
        var buffer = new byte[RecordLimits.MaxDatagramPayloadLength];

        var raw = opener.Open(data, buffer);
        FuzzFindingException.Require(raw.Outcome == DatagramOutcome.Dropped, "an input without the run's key is dropped");
        FuzzFindingException.Require(opener.HighestCounter == 0 && opener.Epoch == 0, "a dropped datagram moves nothing");

        var delivered = new bool[Honest];
        for (int at = 0; at < data.Length; at++)
        {
            byte b = data[at];
            int index = (b >> 2) % Honest;
            switch (b & 3)
            {
                case 0:
                    var result = opener.Open(records[index], buffer);
                    bool expected = !delivered[index];
                    FuzzFindingException.Require((result.Outcome == DatagramOutcome.Delivered) == expected,
                        "an honest record is delivered exactly when it was not before");
                    FuzzFindingException.Require(!expected || buffer.AsSpan(0, result.PayloadLength).SequenceEqual(RecordFuzzSession.Payload(index)),
                        "a delivered record carries its own payload");
                    FuzzFindingException.Require(expected || result.Reason == DatagramDropReason.Duplicate, "a repeat is a duplicate");
                    delivered[index] = true;
                    break;
                case 1:
                    int bit = at + 1 < data.Length ? data[++at] : 0;
                    var flipped = (byte[])records[index].Clone();
                    flipped[bit / 8 % flipped.Length] ^= (byte)(1 << (bit % 8));
                    FuzzFindingException.Require(opener.Open(flipped, buffer).Outcome == DatagramOutcome.Dropped, "a flipped bit is never delivered");
                    break;
                case 2:
                    int keep = at + 1 < data.Length ? data[++at] % records[index].Length : 0;
                    FuzzFindingException.Require(opener.Open(records[index].AsSpan(0, keep), buffer).Outcome == DatagramOutcome.Dropped,
                        "a cut record is never delivered");
                    break;
                default:
                    if (sealer.NextCounter >= RecordLimits.ReplayWindowSize / 2)
                    {
                        break; // keep the eight honest records inside the window, so the oracle above stays exact
                    }
                    var keepalive = new byte[RecordLimits.DatagramOverheadInBytes];
                    FuzzFindingException.Require(sealer.TrySealKeepalive(keepalive, out _), "a keepalive seals");
                    var k = opener.Open(keepalive, buffer);
                    FuzzFindingException.Require(k.Outcome == DatagramOutcome.Keepalive && k.PayloadLength == 0, "a keepalive is recognised, not delivered");
                    FuzzFindingException.Require(BinaryPrimitives.ReadUInt64BigEndian(keepalive.AsSpan(1, 8)) == k.Counter, "the keepalive's counter is reported");
                    break;
            }
        }
    }
}
