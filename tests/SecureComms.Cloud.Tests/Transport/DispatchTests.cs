using Google.Protobuf;
using SecureComms.Cloud.Proto;
using SecureComms.Server.Transport;

namespace SecureComms.Cloud.Tests.Transport;

/// <summary>
/// Requests to handlers and back: answers matched by request id, pushes on their own channel, a failing
/// handler contained to its request.
/// </summary>
public sealed class DispatchTests
{
    [Fact]
    public async Task Concurrent_requests_get_their_own_answers()
    {
        await using var server = TestServer.Start(new CloudListenerOptions { RequestBurst = 100 });
        await using var client = await server.ConnectAsync();

        var pongs = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => client.PingAsync(BitConverter.GetBytes(i))));

        Assert.Equal(Enumerable.Range(0, 50), pongs.Select(p => BitConverter.ToInt32(p.Payload.Span)));
    }

    [Fact]
    public async Task Pushed_frames_arrive_on_the_push_channel_not_as_answers()
    {
        await using var server = TestServer.Start(handler: new PushingHandler());
        await using var client = await server.ConnectAsync();

        var pong = await client.PingAsync("answer"u8.ToArray());
        var push = await client.Pushes.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(3));

        Assert.Equal("answer", pong.Payload.ToStringUtf8());
        Assert.Equal(0UL, push.RequestId);
        Assert.Equal("event", push.Pong.Payload.ToStringUtf8());
    }

    [Fact]
    public async Task Handler_exception_is_internal_and_the_connection_stays_open()
    {
        var dispatcher = new FrameDispatcher();
        dispatcher.Register(ClientFrame.BodyOneofCase.Ping, new ThrowingHandler());
        await using var server = TestServer.Start(handler: dispatcher);
        await using var client = await server.ConnectAsync();

        var first = await client.RequestAsync(new ClientFrame { Ping = new Ping() });
        var second = await client.RequestAsync(new ClientFrame { Ping = new Ping() });

        Assert.Equal(Code.Internal, first.Error.Code);
        Assert.DoesNotContain("secret", first.Error.Message, StringComparison.Ordinal);
        Assert.Equal(Code.Internal, second.Error.Code);
        Assert.False(client.Completion.IsCompleted);
    }

    [Fact]
    public void Push_with_a_request_id_or_outside_the_frame_bounds_is_refused()
    {
        using var connection = new Connection(1, null, 4, CancellationToken.None);
        var oversized = new ServerFrame { Pong = new Pong { Payload = ByteString.CopyFrom(new byte[Cloud.Framing.FrameLimits.MaxFrameSizeInBytes]) } };

        Assert.Throws<ArgumentException>(() => connection.TryPush(new ServerFrame { RequestId = 3, Pong = new Pong() }));
        Assert.Throws<ArgumentException>(() => connection.TryPush(new ServerFrame()));
        Assert.Throws<ArgumentException>(() => connection.TryPush(oversized));
        Assert.Null(connection.CloseReason);
    }

    [Fact]
    public void Push_into_a_full_queue_closes_the_connection_as_a_slow_reader()
    {
        using var connection = new Connection(1, null, 2, CancellationToken.None);

        Assert.True(connection.TryPush(new ServerFrame { Pong = new Pong() }));
        Assert.True(connection.TryPush(new ServerFrame { Pong = new Pong() }));
        Assert.False(connection.TryPush(new ServerFrame { Pong = new Pong() }));

        Assert.Equal(CloseReason.SlowReader, connection.CloseReason);
        Assert.True(connection.Closing.IsCancellationRequested);
    }

    private sealed class PushingHandler : IFrameHandler
    {
        public ValueTask<ServerFrame> HandleAsync(Connection connection, ClientFrame request, CancellationToken cancellationToken)
        {
            Assert.True(connection.TryPush(new ServerFrame { Pong = new Pong { Payload = ByteString.CopyFromUtf8("event") } }));
            return ValueTask.FromResult(new ServerFrame { Pong = new Pong { Payload = request.Ping.Payload } });
        }
    }

    private sealed class ThrowingHandler : IFrameHandler
    {
        public ValueTask<ServerFrame> HandleAsync(Connection connection, ClientFrame request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("secret detail that must not reach the client");
    }
}
