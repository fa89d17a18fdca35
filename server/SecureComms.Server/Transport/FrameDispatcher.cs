using SecureComms.Cloud.Proto;

namespace SecureComms.Server.Transport;

/// <summary>
/// Routes a request to the handler registered for its body (<see cref="ClientFrame.BodyOneofCase"/>).
/// A frame with no body is <c>CODE_BAD_REQUEST</c>; one whose body this server does not know (it arrives as an
/// unknown field) is <c>CODE_UNSUPPORTED</c>, so a newer client can tell the two apart.
/// </summary>
public sealed class FrameDispatcher : IFrameHandler
{
    private readonly Dictionary<ClientFrame.BodyOneofCase, IFrameHandler> _handlers = [];

    /// <summary>A dispatcher with the transport's own handlers: Ping → Pong.</summary>
    public static FrameDispatcher CreateDefault()
    {
        var dispatcher = new FrameDispatcher();
        dispatcher.Register(ClientFrame.BodyOneofCase.Ping, new PingHandler());
        return dispatcher;
    }

    /// <summary>Routes <paramref name="body"/> to <paramref name="handler"/>.</summary>
    /// <exception cref="ArgumentException">No body, or a handler is registered for it already.</exception>
    public void Register(ClientFrame.BodyOneofCase body, IFrameHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (body == ClientFrame.BodyOneofCase.None)
        {
            throw new ArgumentException("A handler is registered for a body.", nameof(body));
        }
        if (!_handlers.TryAdd(body, handler))
        {
            throw new ArgumentException($"A handler for {body} is registered already.", nameof(body));
        }
    }

    /// <inheritdoc />
    public ValueTask<ServerFrame> HandleAsync(Connection connection, ClientFrame request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.BodyCase == ClientFrame.BodyOneofCase.None)
        {
            return ValueTask.FromResult(HasUnknownFields(request)
                ? ErrorFrames.Create(request.RequestId, Code.Unsupported, "this server does not know the request's body")
                : ErrorFrames.Create(request.RequestId, Code.BadRequest, "the request has no body"));
        }
        return _handlers.TryGetValue(request.BodyCase, out IFrameHandler? handler)
            ? handler.HandleAsync(connection, request, cancellationToken)
            : ValueTask.FromResult(ErrorFrames.Create(request.RequestId, Code.Unsupported, $"no handler for {request.BodyCase}"));
    }

    /// <summary>True when the frame carries fields beyond the ones this build knows (kept by the parser).</summary>
    private static bool HasUnknownFields(ClientFrame request) =>
        request.CalculateSize() > new ClientFrame { RequestId = request.RequestId }.CalculateSize();
}

/// <summary>Ping → Pong with the same payload.</summary>
internal sealed class PingHandler : IFrameHandler
{
    /// <inheritdoc />
    public ValueTask<ServerFrame> HandleAsync(Connection connection, ClientFrame request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ServerFrame { RequestId = request.RequestId, Pong = new Pong { Payload = request.Ping.Payload } });
}
