using SecureComms.Cloud.Framing;
using SecureComms.Cloud.Proto;
using SecureComms.Cloud.Tests.Transport;

namespace SecureComms.Cloud.Tests.Framing;

/// <summary>
/// The frame decoder on in-memory streams: the length is refused before the body is touched, every ending is
/// a typed outcome, and memory follows the bytes received, not the length declared.
/// </summary>
public sealed class FrameReaderTests
{
    [Fact]
    public async Task Oversized_length_is_refused_before_any_body_byte_is_read()
    {
        var stream = new PrefixThenTrapStream(RawFrames.Prefix(FrameLimits.MaxFrameSizeInBytes + 1));
        using var reader = new FrameReader(stream);

        var read = await reader.ReadAsync();

        Assert.Equal(FrameReadStatus.Refused, read.Status);
        Assert.Equal(new FrameError(FrameErrorReason.TooLarge, FrameLimits.MaxFrameSizeInBytes + 1, FrameLimits.MaxFrameSizeInBytes), read.Error);
        Assert.False(stream.BodyRequested);
    }

    [Fact]
    public async Task Largest_possible_length_is_refused_before_any_body_byte_is_read()
    {
        var stream = new PrefixThenTrapStream([0xFF, 0xFF, 0xFF, 0xFF]);
        using var reader = new FrameReader(stream);

        var read = await reader.ReadAsync();

        Assert.Equal(FrameErrorReason.TooLarge, read.Error!.Reason);
        Assert.Equal(uint.MaxValue, read.Error.DeclaredLength);
        Assert.False(stream.BodyRequested);
    }

    [Fact]
    public async Task Reader_maximum_below_the_protocol_maximum_is_enforced()
    {
        using var reader = new FrameReader(new MemoryStream(FrameWriter.Encode(new byte[11])), maxFrameSizeInBytes: 10);

        var read = await reader.ReadAsync();

        Assert.Equal(new FrameError(FrameErrorReason.TooLarge, 11, 10), read.Error);
    }

    [Fact]
    public async Task Zero_length_is_refused_as_empty()
    {
        var stream = new PrefixThenTrapStream(RawFrames.Prefix(0));
        using var reader = new FrameReader(stream);

        var read = await reader.ReadAsync();

        Assert.Equal(FrameErrorReason.Empty, read.Error!.Reason);
        Assert.False(stream.BodyRequested);
    }

    [Theory]
    [InlineData(new byte[] { 0x00 }, 0)]
    [InlineData(new byte[] { 0x00, 0x00, 0x00 }, 0)]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x05, 0x01, 0x02 }, 5)]
    public async Task Stream_ending_inside_a_frame_is_truncated(byte[] input, long declared)
    {
        using var reader = new FrameReader(new MemoryStream(input));

        var read = await reader.ReadAsync();

        Assert.Equal(FrameReadStatus.Refused, read.Status);
        Assert.Equal(FrameErrorReason.Truncated, read.Error!.Reason);
        Assert.Equal(declared, read.Error.DeclaredLength);
    }

    [Fact]
    public async Task Frames_are_read_in_order_then_a_clean_end()
    {
        byte[] input = [.. FrameWriter.Encode([1]), .. FrameWriter.Encode([2, 3]), .. FrameWriter.Encode(new byte[40_000])];
        using var reader = new FrameReader(new MemoryStream(input));

        Assert.Equal([1], (await reader.ReadAsync()).Payload.ToArray());
        Assert.Equal([2, 3], (await reader.ReadAsync()).Payload.ToArray());
        Assert.Equal(40_000, (await reader.ReadAsync()).Payload.Length);
        Assert.Equal(FrameReadStatus.EndOfStream, (await reader.ReadAsync()).Status);
    }

    [Fact]
    public async Task Body_arriving_one_byte_at_a_time_is_reassembled()
    {
        byte[] body = Enumerable.Range(0, 50_000).Select(i => (byte)(i % 251)).ToArray();
        using var reader = new FrameReader(new OneByteAtATimeStream(FrameWriter.Encode(body)));

        var read = await reader.ReadAsync();

        Assert.Equal(body, read.Payload.ToArray());
    }

    [Fact]
    public async Task Declared_length_does_not_allocate_up_front()
    {
        // 1 MiB declared, 10 bytes sent: the reader must not have taken 1 MiB on trust.
        byte[] input = [.. RawFrames.Prefix(FrameLimits.MaxFrameSizeInBytes), .. new byte[10]];
        using var reader = new FrameReader(new MemoryStream(input));
        long before = GC.GetAllocatedBytesForCurrentThread();

        var read = await reader.ReadAsync();

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(FrameErrorReason.Truncated, read.Error!.Reason);
        Assert.InRange(allocated, 0, 4 * FrameLimits.InitialReadBufferSizeInBytes);
    }

    [Fact]
    public async Task Reading_again_after_a_refusal_is_caller_misuse()
    {
        using var reader = new FrameReader(new MemoryStream([.. RawFrames.Prefix(0), .. FrameWriter.Encode([1])]));

        Assert.Equal(FrameReadStatus.Refused, (await reader.ReadAsync()).Status);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await reader.ReadAsync());
    }

    [Fact]
    public void Writer_refuses_empty_and_oversized_bodies_before_writing()
    {
        var empty = Assert.Throws<FrameException>(() => FrameWriter.Encode(ReadOnlySpan<byte>.Empty));
        var large = Assert.Throws<FrameException>(() => FrameWriter.Encode(new byte[FrameLimits.MaxFrameSizeInBytes + 1]));
        var emptyMessage = Assert.Throws<FrameException>(() => FrameWriter.Encode(new ServerFrame()));

        Assert.Equal(FrameErrorReason.Empty, empty.Error.Reason);
        Assert.Equal(FrameErrorReason.TooLarge, large.Error.Reason);
        Assert.Equal(FrameErrorReason.Empty, emptyMessage.Error.Reason);
        Assert.Equal(FrameLimits.LengthPrefixSizeInBytes + FrameLimits.MaxFrameSizeInBytes,
            FrameWriter.Encode(new byte[FrameLimits.MaxFrameSizeInBytes]).Length);
    }

    [Fact]
    public async Task Async_writer_and_encoder_produce_the_same_frame()
    {
        var frame = new ClientFrame { RequestId = 300, Ping = new Ping { Payload = Google.Protobuf.ByteString.CopyFromUtf8("abc") } };
        using var stream = new MemoryStream();

        await FrameWriter.WriteAsync(stream, frame);

        Assert.Equal(FrameWriter.Encode(frame), stream.ToArray());
        Assert.Equal([0, 0, 0, (byte)frame.CalculateSize()], stream.ToArray()[..4]);
    }

    [Fact]
    public void Malformed_envelopes_are_a_typed_refusal()
    {
        // Not protobuf; and an Error whose message is not UTF-8 (a parser exception other than InvalidProtocolBufferException).
        Assert.False(FrameMessages.TryParseClientFrame([0xFF, 0xFF, 0xFF], out _, out var garbage));
        Assert.False(FrameMessages.TryParseServerFrame([0x12, 0x05, 0x08, 0x01, 0x12, 0x01, 0xFF], out _, out var badUtf8));

        Assert.Equal(FrameErrorReason.Malformed, garbage!.Reason);
        Assert.Equal(FrameErrorReason.Malformed, badUtf8!.Reason);
    }

    /// <summary>Serves a length prefix, then records (and refuses) any attempt to read further.</summary>
    private sealed class PrefixThenTrapStream(byte[] prefix) : Stream
    {
        private int _position;

        public bool BodyRequested { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= prefix.Length)
            {
                BodyRequested = true;
                throw new InvalidOperationException("the decoder read past the length prefix");
            }
            int n = Math.Min(count, prefix.Length - _position);
            Array.Copy(prefix, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Returns at most one byte per read, like a network delivering a frame in pieces.</summary>
    private sealed class OneByteAtATimeStream(byte[] data) : Stream
    {
        private int _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position == data.Length || count == 0)
            {
                return 0;
            }
            buffer[offset] = data[_position++];
            return 1;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
