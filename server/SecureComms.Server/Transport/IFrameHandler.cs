using SecureComms.Cloud.Proto;

namespace SecureComms.Server.Transport;

/// <summary>
/// Answers one request. The connection has already checked the frame size, the protobuf, the rate limit
/// and that <c>request_id</c> is not 0; the handler returns the response body and the connection sets its
/// <c>request_id</c>.
/// </summary>
/// <remarks>Hazards: called from the connection's read loop, one request at a time per connection (a slow
/// handler delays that connection only). An exception becomes <c>CODE_INTERNAL</c> and is logged by type,
/// never with its message (which could quote request data). A response over the frame size is replaced by
/// <c>CODE_INTERNAL</c>.</remarks>
public interface IFrameHandler
{
    /// <summary>The response to <paramref name="request"/> from <paramref name="connection"/>.</summary>
    ValueTask<ServerFrame> HandleAsync(Connection connection, ClientFrame request, CancellationToken cancellationToken);
}
