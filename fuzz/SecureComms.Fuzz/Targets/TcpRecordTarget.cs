using SecureComms.Channel.Records;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// Fuzz target <c>tcp-record</c>: <see cref="StreamRecordReader.TryRead"/> over the input as a whole stream, then
/// over an honest stream (data, keepalive, key update, data) with the input spliced in at an input-chosen point.
/// </summary>
/// <remarks>
/// <para><b>Input.</b> <c>cut:u8 ‖ bytes</c>: the second stream is the honest stream's first <c>cut</c> bytes
/// (mod its length + 1), then <c>bytes</c>.</para>
/// <para><b>Oracles.</b> Only <see cref="StreamIntegrityException"/> escapes the reader; after it every read throws
/// <see cref="StreamRecordError.Closed"/>. The raw input delivers nothing. Over the spliced stream, the records
/// delivered are a prefix of the honest ones, in order, byte for byte; every honest record wholly before the cut is
/// delivered.</para>
/// </remarks>
public static class TcpRecordTarget
{
    /// <summary>The target's name on the command line and in <c>fuzz/corpus/</c>.</summary>
    public const string Name = "tcp-record";

    /// <summary>Runs one input.</summary>
    public static void Target(ReadOnlySpan<byte> data)
    {
        using var session = new RecordFuzzSession();
        var honest = new MemoryStream();
        var ends = new List<long>();
        using (var writer = session.Sender.CreateStreamWriter(honest))
        {
            writer.Write(RecordFuzzSession.Payload(0));
            ends.Add(honest.Length);
            writer.WriteKeepalive();
            writer.UpdateKey();
            writer.Write(RecordFuzzSession.Payload(1));
            ends.Add(honest.Length);
            writer.Write(RecordFuzzSession.Payload(2));
            ends.Add(honest.Length);
        }
        byte[] honestBytes = honest.ToArray();
        var buffer = new byte[RecordLimits.MaxStreamPayloadLength];

        // Each receiving key serves one reader, so the raw input is read under a second run's key.
        using (var other = new RecordFuzzSession())
        using (var rawReader = other.Receiver.CreateStreamReader(new MemoryStream(data.ToArray())))
        {
            int delivered = ReadAll(rawReader, buffer, _ => false);
            FuzzFindingException.Require(delivered == 0, "an input without the run's key delivers nothing");
        }

        int cut = data.IsEmpty ? honestBytes.Length : data[0] % (honestBytes.Length + 1);
        byte[] spliced = [.. honestBytes.AsSpan(0, cut), .. (data.IsEmpty ? [] : data[1..])];
        using var reader = session.Receiver.CreateStreamReader(new MemoryStream(spliced));
        int index = 0;
        int count = ReadAll(reader, buffer, payload =>
        {
            bool ok = index < ends.Count && payload.SequenceEqual(RecordFuzzSession.Payload(index));
            index++;
            return ok;
        });
        int wholeBeforeCut = ends.Count(end => end <= cut);
        FuzzFindingException.Require(count >= wholeBeforeCut, "every honest record before the cut is delivered");
    }

    private static int ReadAll(StreamRecordReader reader, byte[] buffer, Func<byte[], bool> check)
    {
        int delivered = 0;
        try
        {
            while (reader.TryRead(buffer, out int length))
            {
                FuzzFindingException.Require(check(buffer[..length]), "delivered records are the honest ones, in order");
                delivered++;
            }
            return delivered;
        }
        catch (StreamIntegrityException)
        {
            try
            {
                reader.TryRead(buffer, out _);
            }
            catch (StreamIntegrityException again) when (again.Reason == StreamRecordError.Closed)
            {
                return delivered;
            }
            throw new FuzzFindingException("a broken stream refuses every later read with Closed");
        }
    }
}
