using System.Net.Sockets;
using Google.Protobuf;
using SecureComms.Client.Transport;
using SecureComms.Cloud.Framing;
using SecureComms.Cloud.Proto;
using SecureComms.Server.Transport;

namespace SecureComms.Cloud.Tests.Transport;

/// <summary>
/// The per-connection bounds on a real socket: request rate, idle and handshake timeouts, backpressure
/// (a slow reader), the connection cap, and shutdown. Each test shrinks one bound through
/// <see cref="CloudListenerOptions"/> so that it runs in well under a second or two.
/// </summary>
public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task Burst_beyond_the_bucket_is_rate_limited()
    {
        await using var server = TestServer.Start(new CloudListenerOptions { RequestBurst = 3, RequestsPerSecond = 0.1 });
        await using var client = await server.ConnectAsync();

        for (int i = 0; i < 3; i++)
        {
            await client.PingAsync();
        }
        var limited = await Assert.ThrowsAsync<CloudErrorException>(() => client.PingAsync());
        var again = await client.RequestAsync(new ClientFrame { Ping = new Ping() });

        Assert.Equal(Code.RateLimited, limited.Code);
        Assert.Equal(Code.RateLimited, again.Error.Code);
        Assert.False(client.Completion.IsCompleted); // refused, not disconnected
    }

    [Fact]
    public async Task Idle_connection_is_closed()
    {
        await using var server = TestServer.Start(new CloudListenerOptions { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        await using var client = await server.ConnectAsync();

        await client.Completion.WaitAsync(TimeSpan.FromSeconds(3));

        await server.WaitForCloseAsync(CloseReason.IdleTimeout);
    }

    [Fact]
    public async Task Connection_that_keeps_pinging_outlives_the_idle_timeout()
    {
        // 7 pings 200 ms apart span 1.4 s, past the 1 s timeout; the slack absorbs a loaded test machine.
        await using var server = TestServer.Start(new CloudListenerOptions { IdleTimeout = TimeSpan.FromSeconds(1) });
        await using var client = await server.ConnectAsync();

        for (int i = 0; i < 7; i++)
        {
            await Task.Delay(200);
            Assert.True(server.Closed.Count == 0, $"closed: {string.Join(", ", server.Closed)}");
            await client.PingAsync();
        }

        Assert.False(client.Completion.IsCompleted);
    }

    [Fact]
    public async Task Silent_socket_is_closed_after_the_handshake_timeout()
    {
        await using var server = TestServer.Start(new CloudListenerOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(300) });
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Port);

        Assert.True(await RawFrames.ClosesAsync(tcp.GetStream()));
        await server.WaitForCloseAsync(CloseReason.HandshakeTimeout);
    }

    [Fact]
    public async Task Slow_reader_is_disconnected_when_its_queue_fills()
    {
        await using var server = TestServer.Start(new CloudListenerOptions
        {
            OutgoingQueueCapacity = 2,
            RequestBurst = 10_000,
            RequestsPerSecond = 10_000,
        });
        await using var ssl = await server.ConnectRawAsync();
        // Pings of 256 KiB whose pongs are never read: the TCP buffers (a few MiB on loopback) fill, the
        // server's writer blocks, then its 2-frame queue fills and it must drop the connection.
        byte[] ping = FrameWriter.Encode(new ClientFrame
        {
            RequestId = 1,
            Ping = new Ping { Payload = ByteString.CopyFrom(new byte[256 * 1024]) },
        });

        var disconnected = server.WaitForCloseAsync(CloseReason.SlowReader, TimeSpan.FromSeconds(5));
        try
        {
            for (int i = 0; i < 400 && !disconnected.IsCompleted; i++)
            {
                await ssl.WriteAsync(ping);
            }
        }
        catch (IOException)
        {
            // The server closed the connection under our writes: expected.
        }

        await disconnected;
    }

    [Fact]
    public async Task Connections_over_the_maximum_are_closed_before_tls()
    {
        await using var server = TestServer.Start(new CloudListenerOptions { MaxConnections = 1 });
        await using var first = await server.ConnectAsync();

        await Assert.ThrowsAnyAsync<IOException>(() => server.ConnectAsync());

        await server.WaitForCloseAsync(CloseReason.TooManyConnections);
        await first.PingAsync();
    }

    [Fact]
    public async Task Shutdown_tells_clients_unavailable_and_closes_them()
    {
        var server = TestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.PingAsync();

        var stopping = server.DisposeAsync().AsTask();
        var push = await client.Pushes.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(3));
        await stopping.WaitAsync(TimeSpan.FromSeconds(3));
        await client.Completion.WaitAsync(TimeSpan.FromSeconds(3));

        Assert.Equal(0UL, push.RequestId);
        Assert.Equal(Code.Unavailable, push.Error.Code);
        Assert.Contains(server.Closed, e => e.Reason == CloseReason.ServerShutdown);
    }
}
