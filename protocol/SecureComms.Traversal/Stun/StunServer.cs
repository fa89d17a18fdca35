using System.Net;
using System.Net.Sockets;
using SecureComms.Traversal.Stun.Attributes;

namespace SecureComms.Traversal.Stun;

/// <summary>
/// A STUN Binding server over UDP (RFC 8489 §6.3, §12): answers each Binding request with the source transport
/// address it came from, in XOR-MAPPED-ADDRESS, with FINGERPRINT. No authentication (Binding needs none, §12).
/// </summary>
/// <remarks>
/// <para><b>What gets an answer.</b> A datagram that <see cref="StunReader"/> refuses, an indication, a response,
/// and a request for another method are dropped silently (§6.3: a server does not answer what is not a valid
/// request of a method it knows, and never answers indications). A Binding request with comprehension-required
/// attributes the server does not understand gets 420 with UNKNOWN-ATTRIBUTES (§6.3.1.1).</para>
/// <para><b>No amplification.</b> An answer is sent only if it is at most <see cref="MaxAmplificationInBytes"/>
/// larger than the request, so a spoofed request cannot make the server send a victim more bytes than the
/// attacker sent plus a fixed 32 (IPv6 XOR-MAPPED-ADDRESS 24 + FINGERPRINT 8). Requests over
/// <see cref="MaxRequestSizeInBytes"/> are dropped unread.</para>
/// <para><b>Rate.</b> Each source address gets <see cref="RatePerSecond"/> answers a second, bursts of
/// <see cref="Burst"/> (<see cref="SourceRateLimiter"/>); over that its requests are dropped.</para>
/// <para>Not wired into the cloud service yet (issue 6 puts it there); <c>Start</c> and <c>DisposeAsync</c> are its
/// lifecycle.</para>
/// </remarks>
public sealed class StunServer : IAsyncDisposable
{
    /// <summary>Largest request read: 1,280 bytes, the IPv6 minimum MTU (a Binding request is 20-100 bytes).</summary>
    public const int MaxRequestSizeInBytes = 1280;

    /// <summary>How much larger than its request an answer may be: 32 bytes (see remarks).</summary>
    public const int MaxAmplificationInBytes = 32;

    /// <summary>Answers per second per source address (a client sends one request per transaction, retransmissions
    /// aside; ICE connectivity checks pace at one per 50 ms).</summary>
    public const double RatePerSecond = 20;

    /// <summary>Burst per source address.</summary>
    public const int Burst = 40;

    /// <summary>Source addresses tracked by the rate limiter.</summary>
    public const int MaxTrackedSources = 10_000;

    private readonly Socket _socket;
    private readonly SourceRateLimiter _limiter = new(RatePerSecond, Burst, MaxTrackedSources);
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private StunServer(Socket socket, TimeProvider time)
    {
        _socket = socket;
        _time = time;
        _loop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>The address and port the server listens on.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Binds a UDP socket to <paramref name="listen"/> (port 0: any free port) and starts answering.
    /// On <c>[::]</c> the socket is dual-stack: IPv4 clients are answered too, with their IPv4 address.</summary>
    public static StunServer Start(IPEndPoint listen, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var socket = new Socket(listen.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (listen.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            socket.Bind(listen);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new StunServer(socket, time ?? TimeProvider.System);
    }

    /// <summary>
    /// The answer to <paramref name="request"/> from <paramref name="source"/>, or null when none is due (see the
    /// type's remarks). Pure: the rate limit is applied by the caller.
    /// </summary>
    internal static byte[]? Answer(ReadOnlySpan<byte> request, IPEndPoint source)
    {
        if (!StunReader.TryRead(request, out var message, out _, MaxRequestSizeInBytes)
            || message.Class != StunClass.Request
            || message.Method != StunMethod.Binding)
        {
            return null;
        }
        var unknown = message.UnknownComprehensionRequired;
        StunMessage answer = unknown.Count > 0
            ? new StunMessage(StunClass.ErrorResponse, StunMethod.Binding, message.TransactionId,
                [new ErrorCodeAttribute(ErrorCodeAttribute.UnknownAttribute, ""), new UnknownAttributesAttribute(unknown), FingerprintAttribute.Placeholder()])
            : new StunMessage(StunClass.SuccessResponse, StunMethod.Binding, message.TransactionId,
                [new XorMappedAddressAttribute(Normalize(source)), FingerprintAttribute.Placeholder()]);
        byte[] bytes = StunWriter.Write(answer);
        return bytes.Length <= request.Length + MaxAmplificationInBytes ? bytes : null;
    }

    /// <summary>An IPv4 client on a dual-stack socket appears as ::ffff:a.b.c.d; it is reported as IPv4.</summary>
    private static IPEndPoint Normalize(IPEndPoint source) =>
        source.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(source.Address.MapToIPv4(), source.Port) : source;

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[MaxRequestSizeInBytes + 1];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // e.g. ICMP port unreachable reported on Windows; nothing to do with the next datagram
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            var source = (IPEndPoint)received.RemoteEndPoint;
            if (received.ReceivedBytes > MaxRequestSizeInBytes
                || !_limiter.TryAcquire(source.Address, _time.GetTimestamp(), _time.TimestampFrequency))
            {
                continue;
            }
            if (Answer(buffer.AsSpan(0, received.ReceivedBytes), source) is { } answer)
            {
                try
                {
                    await _socket.SendToAsync(answer, SocketFlags.None, source, _stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    // a send that fails is a lost datagram: the client retransmits
                }
            }
        }
    }

    /// <summary>Stops the loop and closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
