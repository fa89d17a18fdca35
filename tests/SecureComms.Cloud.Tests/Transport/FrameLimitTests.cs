using Google.Protobuf;
using SecureComms.Cloud.Framing;
using SecureComms.Cloud.Proto;
using SecureComms.Server.Transport;

namespace SecureComms.Cloud.Tests.Transport;

/// <summary>
/// What the server does with frames no honest client sends (THREATMODEL: oversized and malformed frames),
/// written by hand over a real TLS 1.3 connection.
/// </summary>
public sealed class FrameLimitTests
{
    [Fact]
    public async Task Oversized_length_is_answered_too_large_and_the_connection_closed()
    {
        await using var server = TestServer.Start();
        await using var ssl = await server.ConnectRawAsync();

        // Only the prefix: the server must refuse on the length alone, without waiting for a body.
        await ssl.WriteAsync(RawFrames.Prefix(FrameLimits.MaxFrameSizeInBytes + 1));

        var error = await RawFrames.ReadServerFrameAsync(ssl);
        Assert.NotNull(error);
        Assert.Equal(0UL, error.RequestId);
        Assert.Equal(Code.TooLarge, error.Error.Code);
        Assert.Contains($"maximum {FrameLimits.MaxFrameSizeInBytes}", error.Error.Message, StringComparison.Ordinal);
        Assert.True(await RawFrames.ClosesAsync(ssl));
        await server.WaitForCloseAsync(CloseReason.FrameTooLarge);
    }

    [Fact]
    public async Task Largest_frame_is_accepted()
    {
        await using var server = TestServer.Start();
        await using var client = await server.ConnectAsync();
        // A Ping whose ClientFrame is exactly the maximum: request_id (2 bytes), ping tag and length (1 + 3),
        // payload tag and length (1 + 3), payload.
        int payloadSize = FrameLimits.MaxFrameSizeInBytes - 10;
        var request = new ClientFrame { RequestId = 1, Ping = new Ping { Payload = ByteString.CopyFrom(new byte[payloadSize]) } };
        Assert.Equal(FrameLimits.MaxFrameSizeInBytes, request.CalculateSize());

        var answer = await client.RequestAsync(request);

        Assert.Equal(payloadSize, answer.Pong.Payload.Length);
    }

    [Fact]
    public async Task Zero_length_frame_is_answered_bad_request_and_the_connection_closed()
    {
        await using var server = TestServer.Start();
        await using var ssl = await server.ConnectRawAsync();

        await ssl.WriteAsync(RawFrames.Prefix(0));

        var error = await RawFrames.ReadServerFrameAsync(ssl);
        Assert.Equal(Code.BadRequest, error!.Error.Code);
        Assert.True(await RawFrames.ClosesAsync(ssl));
        await server.WaitForCloseAsync(CloseReason.MalformedFrame);
    }

    [Fact]
    public async Task Garbage_body_is_answered_bad_request_and_the_connection_closed()
    {
        await using var server = TestServer.Start();
        await using var ssl = await server.ConnectRawAsync();

        await ssl.WriteAsync(FrameWriter.Encode([0xFF, 0xFF, 0xFF, 0xFF]));

        var error = await RawFrames.ReadServerFrameAsync(ssl);
        Assert.Equal(Code.BadRequest, error!.Error.Code);
        Assert.True(await RawFrames.ClosesAsync(ssl));
        await server.WaitForCloseAsync(CloseReason.MalformedFrame);
    }

    [Fact]
    public async Task Truncated_frame_closes_the_connection()
    {
        await using var server = TestServer.Start();
        var ssl = await server.ConnectRawAsync();

        await ssl.WriteAsync((byte[])[.. RawFrames.Prefix(100), 0x08, 0x01]);
        await ssl.DisposeAsync();

        await server.WaitForCloseAsync(CloseReason.TruncatedFrame);
    }

    [Fact]
    public async Task Frame_without_a_body_is_bad_request_and_the_connection_stays_open()
    {
        await using var server = TestServer.Start();
        await using var client = await server.ConnectAsync();

        var answer = await client.RequestAsync(new ClientFrame());

        Assert.Equal(Code.BadRequest, answer.Error.Code);
        Assert.Equal("x", (await client.PingAsync("x"u8.ToArray())).Payload.ToStringUtf8());
    }

    [Fact]
    public async Task Unknown_body_is_unsupported_and_the_connection_stays_open()
    {
        await using var server = TestServer.Start();
        await using var ssl = await server.ConnectRawAsync();

        // request_id 7 and field 20 (the first application body, unknown to this server), empty.
        await ssl.WriteAsync(FrameWriter.Encode([0x08, 0x07, 0xA2, 0x01, 0x00]));
        var answer = await RawFrames.ReadServerFrameAsync(ssl);
        await ssl.WriteAsync(FrameWriter.Encode(new ClientFrame { RequestId = 8, Ping = new Ping() }));
        var pong = await RawFrames.ReadServerFrameAsync(ssl);

        Assert.Equal(7UL, answer!.RequestId);
        Assert.Equal(Code.Unsupported, answer.Error.Code);
        Assert.Equal(ServerFrame.BodyOneofCase.Pong, pong!.BodyCase);
    }

    [Fact]
    public async Task Request_id_zero_is_bad_request()
    {
        await using var server = TestServer.Start();
        await using var ssl = await server.ConnectRawAsync();

        await ssl.WriteAsync(FrameWriter.Encode(new ClientFrame { RequestId = 0, Ping = new Ping() }));

        var answer = await RawFrames.ReadServerFrameAsync(ssl);
        Assert.Equal(Code.BadRequest, answer!.Error.Code);
    }
}
