using System.Net;
using System.Net.Sockets;
using SecureComms.Traversal.Stun;
using SecureComms.Traversal.Stun.Attributes;

namespace SecureComms.Traversal.Tests.Scenarios;

/// <summary>
/// The binding server and client on real UDP sockets on 127.0.0.1: the client learns the address the server saw;
/// it retransmits on the §6.2.1 schedule and gives up after Rc requests; the server drops what it must not answer.
/// </summary>
public sealed class BindingOverLoopbackTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static Socket LoopbackSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    [Fact]
    public async Task ClientLearnsTheAddressTheServerSawItsSocketAt()
    {
        await using var server = StunServer.Start(new IPEndPoint(IPAddress.Loopback, 0));
        using var client = LoopbackSocket();
        using var cancel = new CancellationTokenSource(Generous);
        var result = await StunClient.GetReflexiveAddressAsync(client, server.LocalEndPoint, cancellationToken: cancel.Token);
        Assert.Null(result.Failure);
        Assert.Equal(client.LocalEndPoint, result.ReflexiveAddress);
        Assert.True(result.RequestsSent >= 1);
    }

    [Fact]
    public async Task IPv4ClientOfADualStackServerIsReportedAsIPv4()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return; // nothing to check on a host without IPv6
        }
        await using var server = StunServer.Start(new IPEndPoint(IPAddress.IPv6Any, 0));
        int port = server.LocalEndPoint.Port;
        using var client = LoopbackSocket();
        using var cancel = new CancellationTokenSource(Generous);
        var result = await StunClient.GetReflexiveAddressAsync(client, new IPEndPoint(IPAddress.Loopback, port), cancellationToken: cancel.Token);
        Assert.Equal(client.LocalEndPoint, result.ReflexiveAddress);
    }

    [Fact]
    public async Task ClientRetransmitsTheSameTransactionUntilAnswered()
    {
        // A server of our own that ignores the first two requests and answers the third.
        using var fake = LoopbackSocket();
        using var client = LoopbackSocket();
        using var cancel = new CancellationTokenSource(Generous);
        var transaction = StunClient.GetReflexiveAddressAsync(client, (IPEndPoint)fake.LocalEndPoint!, TimeSpan.FromMilliseconds(200), cancel.Token);
        var buffer = new byte[2048];
        var ids = new List<TransactionId>();
        SocketReceiveFromResult received = default;
        for (int i = 0; i < 3; i++)
        {
            received = await fake.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancel.Token);
            Assert.True(StunReader.TryRead(buffer.AsSpan(0, received.ReceivedBytes), out var request, out _));
            Assert.Equal((StunClass.Request, StunMethod.Binding), (request.Class, request.Method));
            Assert.NotNull(request.Get<FingerprintAttribute>());
            ids.Add(request.TransactionId);
        }
        Assert.Single(ids.Distinct());
        var lie = new IPEndPoint(IPAddress.Parse("198.51.100.9"), 4242);
        // A response with another transaction ID is ignored; ours ends the transaction.
        await fake.SendToAsync(StunWriter.Write(new StunMessage(StunClass.SuccessResponse, StunMethod.Binding, TransactionId.New(),
            [new XorMappedAddressAttribute(new IPEndPoint(IPAddress.Parse("192.0.2.66"), 1))])), received.RemoteEndPoint!, cancel.Token);
        await fake.SendToAsync(StunWriter.Write(new StunMessage(StunClass.SuccessResponse, StunMethod.Binding, ids[0],
            [new XorMappedAddressAttribute(lie)])), received.RemoteEndPoint!, cancel.Token);
        var result = await transaction;
        Assert.Equal(lie, result.ReflexiveAddress);
        Assert.True(result.RequestsSent >= 3); // a fourth may have left if this test was slow to answer
    }

    [Fact]
    public async Task ClientGivesUpAfterRcRequestsAndTheFinalWait()
    {
        using var silent = LoopbackSocket();
        using var client = LoopbackSocket();
        using var cancel = new CancellationTokenSource(Generous);
        var result = await StunClient.GetReflexiveAddressAsync(client, (IPEndPoint)silent.LocalEndPoint!, TimeSpan.FromMilliseconds(5), cancel.Token);
        Assert.Equal(StunBindingFailure.Timeout, result.Failure);
        Assert.Null(result.ReflexiveAddress);
        Assert.Equal(StunClient.RequestCount, result.RequestsSent);
        int arrived = 0;
        var buffer = new byte[2048];
        while (silent.Available > 0)
        {
            silent.Receive(buffer);
            arrived++;
        }
        Assert.Equal(StunClient.RequestCount, arrived);
    }

    [Fact]
    public async Task ClientReportsAnErrorResponse()
    {
        using var fake = LoopbackSocket();
        using var client = LoopbackSocket();
        using var cancel = new CancellationTokenSource(Generous);
        var transaction = StunClient.GetReflexiveAddressAsync(client, (IPEndPoint)fake.LocalEndPoint!, cancellationToken: cancel.Token);
        var buffer = new byte[2048];
        var received = await fake.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancel.Token);
        Assert.True(StunReader.TryRead(buffer.AsSpan(0, received.ReceivedBytes), out var request, out _));
        await fake.SendToAsync(StunWriter.Write(new StunMessage(StunClass.ErrorResponse, StunMethod.Binding, request.TransactionId,
            [new ErrorCodeAttribute(ErrorCodeAttribute.ServerError, "busy")])), received.RemoteEndPoint, cancel.Token);
        var result = await transaction;
        Assert.Equal((StunBindingFailure.ErrorResponse, 500), (result.Failure!.Value, result.ErrorCode));
    }

    [Fact]
    public async Task ServerDropsGarbageAndIndicationsAndAnswersTheNextRequest()
    {
        await using var server = StunServer.Start(new IPEndPoint(IPAddress.Loopback, 0));
        using var client = LoopbackSocket();
        using var cancel = new CancellationTokenSource(Generous);
        await client.SendToAsync(new byte[] { 1, 2, 3 }, SocketFlags.None, server.LocalEndPoint, cancel.Token);
        await client.SendToAsync(StunWriter.Write(new StunMessage(StunClass.Indication, StunMethod.Binding, TransactionId.New(), [])),
            SocketFlags.None, server.LocalEndPoint, cancel.Token);
        var request = new StunMessage(StunClass.Request, StunMethod.Binding, TransactionId.New(), []);
        await client.SendToAsync(StunWriter.Write(request), SocketFlags.None, server.LocalEndPoint, cancel.Token);
        var buffer = new byte[2048];
        var received = await client.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancel.Token);
        Assert.True(StunReader.TryRead(buffer.AsSpan(0, received.ReceivedBytes), out var response, out _));
        // The first datagram back answers the request: nothing was sent for the garbage or the indication.
        Assert.Equal(request.TransactionId, response.TransactionId);
        Assert.Equal(client.LocalEndPoint, response.Get<XorMappedAddressAttribute>()!.EndPoint);
    }

    [Fact]
    public void ServerAnswersUnknownComprehensionRequiredAttributesWith420()
    {
        var source = new IPEndPoint(IPAddress.Loopback, 5000);
        var request = new StunMessage(StunClass.Request, StunMethod.Binding, TransactionId.New(),
            [new RawAttribute(0x0024, [0, 0, 0, 1]), new RawAttribute(0xC057, [1])]);
        byte[] answer = StunServer.Answer(StunWriter.Write(request), source)!;
        Assert.True(StunReader.TryRead(answer, out var response, out _));
        Assert.Equal(StunClass.ErrorResponse, response.Class);
        Assert.Equal(420, response.Get<ErrorCodeAttribute>()!.Code);
        Assert.Equal([(ushort)0x0024], response.Get<UnknownAttributesAttribute>()!.Types);
    }

    [Fact]
    public void ServerAnswersAreNeverMoreThanTheAmplificationBoundLarger()
    {
        var v6 = new IPEndPoint(IPAddress.Parse("2001:db8::1"), 65535);
        byte[] smallest = StunWriter.Write(new StunMessage(StunClass.Request, StunMethod.Binding, TransactionId.New(), []));
        byte[] answer = StunServer.Answer(smallest, v6)!;
        Assert.Equal(smallest.Length + StunServer.MaxAmplificationInBytes, answer.Length); // exactly at the bound
        // A request naming many unknown comprehension-required attributes: answered only within the bound.
        for (int count = 1; count <= 40; count++)
        {
            byte[] request = StunWriter.Write(new StunMessage(StunClass.Request, StunMethod.Binding, TransactionId.New(),
                Enumerable.Range(0, count).Select(i => new RawAttribute((ushort)(0x0040 + i), []))));
            if (StunServer.Answer(request, v6) is { } reply)
            {
                Assert.True(reply.Length <= request.Length + StunServer.MaxAmplificationInBytes);
            }
        }
        // Responses and other methods get nothing.
        Assert.Null(StunServer.Answer(StunWriter.Write(new StunMessage(StunClass.SuccessResponse, StunMethod.Binding, TransactionId.New(), [])), v6));
        Assert.Null(StunServer.Answer(StunWriter.Write(new StunMessage(StunClass.Request, (StunMethod)0x003, TransactionId.New(), [])), v6));
    }

    [Fact]
    public void RateLimiterCapsEachSourceAndBoundsItsTable()
    {
        var limiter = new SourceRateLimiter(ratePerSecond: 10, burst: 3, maxTrackedSources: 2);
        const long second = 1000;
        var a = IPAddress.Parse("192.0.2.1");
        var b = IPAddress.Parse("192.0.2.2");
        var c = IPAddress.Parse("192.0.2.3");
        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => limiter.TryAcquire(a, 0, second)));
        Assert.True(limiter.TryAcquire(a, 100, second));   // 0.1 s at 10/s: one token back
        Assert.False(limiter.TryAcquire(a, 100, second));
        Assert.True(limiter.TryAcquire(b, 100, second));
        Assert.False(limiter.TryAcquire(c, 100, second));  // table full, nobody idle: refused
        Assert.Equal(2, limiter.TrackedSources);
        Assert.True(limiter.TryAcquire(c, 10_000, second)); // a and b idle long enough: evicted
        Assert.True(limiter.TrackedSources <= 2);
    }
}
