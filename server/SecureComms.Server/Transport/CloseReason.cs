namespace SecureComms.Server.Transport;

/// <summary>Why the listener closed a connection (logged, and reported to <see cref="CloudListenerOptions.ConnectionClosed"/>).</summary>
public enum CloseReason
{
    /// <summary>The peer closed the stream between frames.</summary>
    ClientClosed,

    /// <summary>Over <see cref="CloudListenerOptions.MaxConnections"/>; closed before TLS.</summary>
    TooManyConnections,

    /// <summary>The TLS handshake failed (a TLS 1.2 client, a client that refused our certificate, not TLS at all).</summary>
    HandshakeFailed,

    /// <summary>The TLS handshake did not finish within <see cref="CloudListenerOptions.HandshakeTimeout"/>.</summary>
    HandshakeTimeout,

    /// <summary>No complete frame within <see cref="CloudListenerOptions.IdleTimeout"/>.</summary>
    IdleTimeout,

    /// <summary>A frame declared a length over the maximum; answered <c>CODE_TOO_LARGE</c>.</summary>
    FrameTooLarge,

    /// <summary>An empty frame or a body that is not a ClientFrame; answered <c>CODE_BAD_REQUEST</c>.</summary>
    MalformedFrame,

    /// <summary>The stream ended inside a frame.</summary>
    TruncatedFrame,

    /// <summary>The outgoing queue was full: the peer does not read what it asked for.</summary>
    SlowReader,

    /// <summary>A frame write did not complete within <see cref="CloudListenerOptions.SendTimeout"/>.</summary>
    SendTimeout,

    /// <summary>The socket failed (reset, broken pipe).</summary>
    TransportError,

    /// <summary>The listener is shutting down; answered <c>CODE_UNAVAILABLE</c>.</summary>
    ServerShutdown,

    /// <summary>An unexpected exception in the connection's own code (logged by type).</summary>
    InternalError,

    /// <summary>The connection's session was revoked on another connection (sign-out, password change; pushed
    /// <c>CODE_UNAUTHENTICATED</c> first) or expired while the connection was open.</summary>
    SessionEnded,
}

/// <summary>A closed connection, as reported to <see cref="CloudListenerOptions.ConnectionClosed"/>.</summary>
/// <param name="ConnectionId">The listener's sequence number for the connection.</param>
/// <param name="Reason">Why it was closed.</param>
public sealed record ConnectionClosedEvent(long ConnectionId, CloseReason Reason);
