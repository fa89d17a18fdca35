using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using SecureComms.Channel.Records;

namespace SecureComms.Channel.Tests.Records;

/// <summary>
/// The TCP record layer: a round trip over a real loopback socket (with keepalives and key updates), the size bound
/// enforced at the length prefix, truncation, garbage, forgeries and replays (each ends the stream with a typed
/// error, and everything after it is refused), and rekeying by timer.
/// </summary>
public sealed class StreamRecordTests
{
    private static byte[] Written(Action<StreamRecordWriter> write, RecordKeys keys)
    {
        var buffer = new MemoryStream();
        using var writer = keys.CreateStreamWriter(buffer);
        write(writer);
        return buffer.ToArray();
    }

    private static StreamIntegrityException ReadFails(StreamRecordReader reader)
    {
        var payload = new byte[RecordLimits.MaxStreamPayloadLength];
        return Assert.Throws<StreamIntegrityException>(() => reader.TryRead(payload, out _));
    }

    [Fact]
    public async Task RoundTripOverLoopbackTcpWithKeepalivesAndKeyUpdates()
    {
        using var session = new RecordSession();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var server = await listener.AcceptTcpClientAsync();

        var payloads = new[] { TestBytes.Random(1), TestBytes.Random(RecordLimits.MaxStreamPayloadLength), [], TestBytes.Random(1200) };
        var send = Task.Run(() =>
        {
            using var writer = session.Initiator.CreateStreamWriter(client.GetStream());
            writer.Write(payloads[0]);
            writer.WriteKeepalive();
            writer.Write(payloads[1]);
            writer.UpdateKey();
            writer.Write(payloads[2]);
            writer.UpdateKey();
            writer.Write(payloads[3]);
            client.Client.Shutdown(SocketShutdown.Send);
        });

        using var reader = session.Responder.CreateStreamReader(server.GetStream());
        var buffer = new byte[RecordLimits.MaxStreamPayloadLength];
        foreach (var expected in payloads)
        {
            Assert.True(reader.TryRead(buffer, out int length));
            Assert.Equal(expected, buffer[..length]);
        }
        Assert.Equal(2UL, reader.Epoch);
        Assert.False(reader.TryRead(buffer, out _));
        await send.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void OversizedPrefixIsRefusedBeforeTheBodyIsRead()
    {
        using var session = new RecordSession();
        var bytes = new byte[2 + RecordLimits.MaxStreamBodyLength + 1];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, RecordLimits.MaxStreamBodyLength + 1);
        var stream = new MemoryStream(bytes);
        using var reader = session.Responder.CreateStreamReader(stream);
        Assert.Equal(StreamRecordError.RecordTooLarge, ReadFails(reader).Reason);
        Assert.Equal(2, stream.Position); // only the prefix was consumed
        Assert.Equal(StreamRecordError.Closed, ReadFails(reader).Reason);

        using var writer = session.Initiator.CreateStreamWriter(new MemoryStream());
        Assert.Throws<ArgumentException>(() => writer.Write(new byte[RecordLimits.MaxStreamPayloadLength + 1]));
    }

    [Fact]
    public void PrefixBelowTypeAndTagIsRefused()
    {
        using var session = new RecordSession();
        var bytes = new byte[2 + RecordLimits.MinStreamBodyLength];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, RecordLimits.MinStreamBodyLength - 1);
        using var reader = session.Responder.CreateStreamReader(new MemoryStream(bytes));
        Assert.Equal(StreamRecordError.RecordTooShort, ReadFails(reader).Reason);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(-1)]
    public void TruncatedRecordEndsTheStream(int keep)
    {
        using var session = new RecordSession();
        var record = Written(w => w.Write(TestBytes.Random(50)), session.Initiator);
        int length = keep < 0 ? record.Length - 1 : keep;
        using var reader = session.Responder.CreateStreamReader(new MemoryStream(record[..length]));
        Assert.Equal(StreamRecordError.Truncated, ReadFails(reader).Reason);
    }

    [Fact]
    public void ForgedOrReplayedRecordEndsTheStreamAndNothingAfterIsDelivered()
    {
        using var session = new RecordSession();
        var payload = TestBytes.Random(64);
        var records = Written(w => { w.Write(payload); w.Write(payload); w.Write(payload); }, session.Initiator);
        int one = records.Length / 3;

        var forged = (byte[])records.Clone();
        forged[one + 10] ^= 0x01; // second record's ciphertext
        using (var reader = session.Responder.CreateStreamReader(new MemoryStream(forged)))
        {
            var buffer = new byte[RecordLimits.MaxStreamPayloadLength];
            Assert.True(reader.TryRead(buffer, out int length));
            Assert.Equal(payload, buffer[..length]);
            buffer.AsSpan().Fill(0xAA);
            Assert.Equal(StreamRecordError.BadTag, Assert.Throws<StreamIntegrityException>(() => reader.TryRead(buffer, out _)).Reason);
            Assert.True(buffer.AsSpan(0, payload.Length).IndexOfAnyExcept((byte)0) < 0, "no unauthenticated plaintext");
            Assert.Equal(StreamRecordError.Closed, ReadFails(reader).Reason); // the intact third record is never delivered
        }

        using var session2 = new RecordSession();
        var first = Written(w => w.Write(payload), session2.Initiator);
        using var replayReader = session2.Responder.CreateStreamReader(new MemoryStream([.. first, .. first]));
        Assert.True(replayReader.TryRead(new byte[RecordLimits.MaxStreamPayloadLength], out _));
        Assert.Equal(StreamRecordError.BadTag, ReadFails(replayReader).Reason);
    }

    [Fact]
    public void GarbageEndsTheStreamWithATypedError()
    {
        using var session = new RecordSession();
        var record = Written(w => w.Write(TestBytes.Random(8)), session.Initiator);
        var unknownType = (byte[])record.Clone();
        unknownType[2] = 0x42;
        using (var reader = session.Responder.CreateStreamReader(new MemoryStream(unknownType)))
        {
            Assert.Equal(StreamRecordError.UnknownType, ReadFails(reader).Reason);
        }
        using var other = new RecordSession();
        var random = TestBytes.Random(4096);
        BinaryPrimitives.WriteUInt16BigEndian(random, 100);
        random[2] = (byte)RecordType.Data;
        using var garbageReader = other.Responder.CreateStreamReader(new MemoryStream(random));
        Assert.Equal(StreamRecordError.BadTag, ReadFails(garbageReader).Reason);
    }

    [Fact]
    public void OldKeyRecordAfterAKeyUpdateIsRefused()
    {
        var clock = new ManualClock();
        using var session = new RecordSession();
        var stream = new MemoryStream();
        using var writer = session.Initiator.CreateStreamWriter(stream, clock);
        writer.Write([1]);
        var oldKeyRecord = stream.ToArray();
        clock.Advance(RecordLimits.RekeyAfterTime);
        writer.Write([2]); // preceded by an automatic KeyUpdate
        Assert.Equal(1UL, writer.Epoch);
        stream.Write(oldKeyRecord); // an attacker re-inserts the epoch-0 record

        stream.Position = 0;
        using var reader = session.Responder.CreateStreamReader(stream);
        var buffer = new byte[RecordLimits.MaxStreamPayloadLength];
        Assert.True(reader.TryRead(buffer, out int length));
        Assert.Equal(new byte[] { 1 }, buffer[..length]);
        Assert.True(reader.TryRead(buffer, out length));
        Assert.Equal(new byte[] { 2 }, buffer[..length]);
        Assert.Equal(1UL, reader.Epoch);
        Assert.Equal(StreamRecordError.BadTag, ReadFails(reader).Reason);
    }
}
