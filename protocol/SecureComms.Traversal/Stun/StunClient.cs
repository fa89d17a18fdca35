using System.Net;
using System.Net.Sockets;
using SecureComms.Traversal.Stun.Attributes;

namespace SecureComms.Traversal.Stun;

/// <summary>Why a Binding transaction produced no reflexive address.</summary>
public enum StunBindingFailure
{
    /// <summary>No valid response after <see cref="StunClient.RequestCount"/> requests and the final wait (§6.2.1).</summary>
    Timeout,

    /// <summary>The server answered with an error response (<see cref="StunBindingResult.ErrorCode"/>).</summary>
    ErrorResponse,

    /// <summary>A success response without XOR-MAPPED-ADDRESS or MAPPED-ADDRESS.</summary>
    NoAddress,
}

/// <summary>The outcome of <see cref="StunClient.GetReflexiveAddressAsync"/>: the server-reflexive address, or why not.</summary>
/// <param name="ReflexiveAddress">The address the server saw the request come from (null on failure).</param>
/// <param name="Failure">Why there is none (null on success).</param>
/// <param name="ErrorCode">The ERROR-CODE of an error response, else 0.</param>
/// <param name="RequestsSent">Requests sent, retransmissions included.</param>
public sealed record StunBindingResult(IPEndPoint? ReflexiveAddress, StunBindingFailure? Failure, int ErrorCode, int RequestsSent);

/// <summary>
/// A STUN client over UDP that learns its server-reflexive address with a Binding transaction (RFC 8489 §6.2.1,
/// §6.3.3, §12).
/// </summary>
/// <remarks>
/// <para><b>Retransmissions (§6.2.1).</b> The request is sent at 0, RTO, 3 RTO, 7 RTO... (the interval doubles) for
/// <see cref="RequestCount"/> (Rc) requests in all; after the last one the client waits
/// <see cref="FinalWaitMultiplier"/> (Rm) × RTO. With the default RTO of <see cref="InitialRtoMilliseconds"/> ms,
/// that is 39.5 s before <see cref="StunBindingFailure.Timeout"/>.</para>
/// <para><b>Accepting a response.</b> Only a datagram from the server's address that <see cref="StunReader"/>
/// accepts, is a Binding response, and carries this transaction's ID ends the transaction; anything else on the
/// socket is ignored. The response is unauthenticated (Binding has no credentials, §12): an on-path attacker can
/// lie about the address, which is why the channel authenticates peers end to end.</para>
/// <para>The caller owns <c>socket</c>: the reflexive address is that of this socket's binding in the NAT, so it is
/// the socket the caller then uses for its candidates. The caller must not read from it during the transaction.</para>
/// </remarks>
public static class StunClient
{
    /// <summary>§6.2.1: initial RTO, 500 ms.</summary>
    public const int InitialRtoMilliseconds = 500;

    /// <summary>§6.2.1 Rc: requests sent in all, 7.</summary>
    public const int RequestCount = 7;

    /// <summary>§6.2.1 Rm: after the last request the client waits Rm × RTO, 16.</summary>
    public const int FinalWaitMultiplier = 16;

    /// <summary>Receive buffer: a response larger than this is not a Binding response of ours.</summary>
    public const int MaxResponseSizeInBytes = 1280;

    /// <summary>
    /// Sends Binding requests from <paramref name="socket"/> to <paramref name="server"/> until a response to them
    /// arrives or the §6.2.1 schedule runs out. <paramref name="initialRto"/> overrides the 500 ms default (a STUN
    /// usage may, §6.2.1; tests use a short one).
    /// </summary>
    /// <exception cref="SocketException">The socket refused a send (no route, closed socket...).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<StunBindingResult> GetReflexiveAddressAsync(
        Socket socket, IPEndPoint server, TimeSpan? initialRto = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(server);
        TimeSpan rto = initialRto ?? TimeSpan.FromMilliseconds(InitialRtoMilliseconds);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(rto, TimeSpan.Zero, nameof(initialRto));

        var transactionId = TransactionId.New();
        byte[] request = StunWriter.Write(new StunMessage(StunClass.Request, StunMethod.Binding, transactionId,
            [FingerprintAttribute.Placeholder()]));
        var buffer = new byte[MaxResponseSizeInBytes + 1];
        TimeSpan wait = rto;
        for (int sent = 1; sent <= RequestCount; sent++)
        {
            await socket.SendToAsync(request, SocketFlags.None, server, cancellationToken).ConfigureAwait(false);
            TimeSpan window = sent == RequestCount ? rto * FinalWaitMultiplier : wait;
            if (await ReceiveResponseAsync(socket, server, transactionId, buffer, window, cancellationToken).ConfigureAwait(false) is { } response)
            {
                return Interpret(response, sent);
            }
            wait *= 2;
        }
        return new StunBindingResult(null, StunBindingFailure.Timeout, 0, RequestCount);
    }

    private static StunBindingResult Interpret(StunMessage response, int sent)
    {
        if (response.Class == StunClass.ErrorResponse)
        {
            return new StunBindingResult(null, StunBindingFailure.ErrorResponse, response.Get<ErrorCodeAttribute>()?.Code ?? 0, sent);
        }
        // §14.1: MAPPED-ADDRESS only for RFC 3489 servers; XOR-MAPPED-ADDRESS first.
        IPEndPoint? address = response.Get<XorMappedAddressAttribute>()?.EndPoint ?? response.Get<MappedAddressAttribute>()?.EndPoint;
        return address is null
            ? new StunBindingResult(null, StunBindingFailure.NoAddress, 0, sent)
            : new StunBindingResult(address, null, 0, sent);
    }

    /// <summary>Waits up to <paramref name="window"/> for our response; other datagrams are dropped. Null on timeout.</summary>
    private static async Task<StunMessage?> ReceiveResponseAsync(
        Socket socket, IPEndPoint server, TransactionId transactionId, byte[] buffer, TimeSpan window, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(window);
        EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (true)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                continue; // ICMP port unreachable from an earlier send: keep waiting, the schedule decides
            }
            if (received.ReceivedBytes <= MaxResponseSizeInBytes
                && SameEndPoint((IPEndPoint)received.RemoteEndPoint, server)
                && StunReader.TryRead(buffer.AsSpan(0, received.ReceivedBytes), out var message, out _, MaxResponseSizeInBytes)
                && message.Method == StunMethod.Binding
                && message.Class is StunClass.SuccessResponse or StunClass.ErrorResponse
                && message.TransactionId == transactionId)
            {
                return message;
            }
        }
    }

    private static bool SameEndPoint(IPEndPoint a, IPEndPoint b) =>
        a.Port == b.Port
        && (a.Address.IsIPv4MappedToIPv6 ? a.Address.MapToIPv4() : a.Address)
            .Equals(b.Address.IsIPv4MappedToIPv6 ? b.Address.MapToIPv4() : b.Address);
}
