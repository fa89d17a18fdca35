namespace SecureComms.Server.Transport;

/// <summary>
/// The default bounds of the cloud listener, each with its reason (STYLE.md §14). Every one can be
/// overridden per listener through <see cref="CloudListenerOptions"/> (tests use short timeouts); these are
/// what <c>securecomms server run</c> uses.
/// </summary>
/// <remarks>
/// References: the issue "Cloud service over TLS 1.3" (rate and backpressure limits, idle timeouts);
/// THREATMODEL.md (resource exhaustion by a connected but unauthenticated peer). The frame size bound is
/// <c>SecureComms.Cloud.Framing.FrameLimits.MaxFrameSizeInBytes</c>.
/// Worst-case memory: about <see cref="MaxConnections"/> × (one frame buffer, at most 1 MiB, plus
/// <see cref="OutgoingQueueCapacity"/> queued responses).
/// </remarks>
public static class TransportLimits
{
    /// <summary>A TCP connection must finish the TLS handshake within 10 s, or it is closed (a peer that opens
    /// sockets and never speaks holds a slot for at most this long).</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A connection that sends no complete frame for 120 s is closed. Clients that want to stay
    /// connected for pushed events ping more often. Also bounds how long one frame may take to arrive
    /// (slow-loris).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(120);

    /// <summary>One frame write that has not completed after 30 s closes the connection (the peer stopped
    /// reading and its TCP window is shut).</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    /// <summary>On an orderly close (protocol error, shutdown), queued frames get 1 s to reach the peer.</summary>
    public static readonly TimeSpan CloseDrainTimeout = TimeSpan.FromSeconds(1);

    /// <summary>On shutdown the listener waits at most 1.5 s for its connections to close (below the 2 s the
    /// command line gives a process after Ctrl-C or SIGTERM).</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromMilliseconds(1500);

    /// <summary>At most 1024 connections at a time; one more is accepted and closed at once, before TLS.</summary>
    public const int MaxConnections = 1024;

    /// <summary>Token bucket per connection: up to 32 requests in a burst...</summary>
    public const int RequestBurst = 32;

    /// <summary>...refilled at 16 requests per second. A request that finds the bucket empty is answered
    /// <c>CODE_RATE_LIMITED</c> without reaching a handler.</summary>
    public const double RequestsPerSecond = 16;

    /// <summary>At most 64 frames queued for sending per connection. A peer that does not read lets the queue
    /// fill (the TCP window closes, the writer blocks): the connection is closed as a slow reader rather
    /// than buffering without bound.</summary>
    public const int OutgoingQueueCapacity = 64;
}
