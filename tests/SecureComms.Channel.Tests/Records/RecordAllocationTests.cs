using SecureComms.Channel.Records;

namespace SecureComms.Channel.Tests.Records;

/// <summary>The hot path allocates nothing: sealing and opening a 1,200-byte record after warm-up (issue 6's bench goal).</summary>
public sealed class RecordAllocationTests
{
    private const int RecordSize = 1200;
    private const int Records = 200;

    [Fact]
    public void DatagramSealAndOpenOf1200BytesAllocateNothing()
    {
        using var session = new RecordSession();
        using var sealer = session.Initiator.CreateDatagramSealer();
        using var opener = session.Responder.CreateDatagramOpener();
        byte[] payload = TestBytes.Random(RecordSize), datagram = new byte[RecordSize + RecordLimits.DatagramOverheadInBytes], opened = new byte[RecordSize];
        for (int i = 0; i < 10; i++)
        {
            sealer.TrySeal(payload, datagram, out _);
            opener.Open(datagram, opened);
        }

        int delivered = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Records; i++)
        {
            sealer.TrySeal(payload, datagram, out _);
            delivered += opener.Open(datagram, opened).Outcome == DatagramOutcome.Delivered ? 1 : 0;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(Records, delivered);
        Assert.Equal(payload, opened);
    }

    [Fact]
    public void StreamWriteAndReadOf1200BytesAllocateNothing()
    {
        using var session = new RecordSession();
        var stream = new MemoryStream(new byte[(RecordSize + 64) * (Records + 10)], writable: true);
        using var writer = session.Initiator.CreateStreamWriter(stream);
        using var reader = session.Responder.CreateStreamReader(stream);
        byte[] payload = TestBytes.Random(RecordSize), opened = new byte[RecordLimits.MaxStreamPayloadLength];
        long position = 0;
        bool RoundTrip()
        {
            stream.Position = position;
            writer.Write(payload);
            stream.Position = position;
            bool ok = reader.TryRead(opened, out int length) && length == RecordSize;
            position = stream.Position;
            return ok;
        }
        for (int i = 0; i < 10; i++)
        {
            RoundTrip();
        }

        int delivered = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Records; i++)
        {
            delivered += RoundTrip() ? 1 : 0;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(Records, delivered);
        Assert.Equal(payload, opened[..RecordSize]);
    }
}
