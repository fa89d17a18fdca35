using SecureComms.Cloud.Framing;

namespace SecureComms.Client.Transport;

/// <summary>The client side's bounds, each a named default (STYLE.md §14).</summary>
public static class ClientTransportLimits
{
    /// <summary>TCP connect plus TLS handshake must finish within 10 s.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A request unanswered after 30 s fails with <see cref="TimeoutException"/> (a late answer is dropped).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>At most 256 pushed frames wait for the application; past that the client stops reading, so the
    /// server's queue fills and it drops this connection as a slow reader (backpressure, not unbounded memory).</summary>
    public const int PushQueueCapacity = 256;

    /// <summary>At most 1024 requests outstanding; one more fails at once with
    /// <see cref="InvalidOperationException"/> (a caller that floods should not grow a table without bound).</summary>
    public const int MaxOutstandingRequests = 1024;
}

/// <summary>Per-connection overrides of <see cref="ClientTransportLimits"/>.</summary>
public sealed record CloudConnectionOptions
{
    /// <summary>See <see cref="ClientTransportLimits.ConnectTimeout"/>.</summary>
    public TimeSpan ConnectTimeout { get; init; } = ClientTransportLimits.ConnectTimeout;

    /// <summary>See <see cref="ClientTransportLimits.RequestTimeout"/>.</summary>
    public TimeSpan RequestTimeout { get; init; } = ClientTransportLimits.RequestTimeout;

    /// <summary>See <see cref="ClientTransportLimits.PushQueueCapacity"/>.</summary>
    public int PushQueueCapacity { get; init; } = ClientTransportLimits.PushQueueCapacity;

    /// <summary>See <see cref="ClientTransportLimits.MaxOutstandingRequests"/>.</summary>
    public int MaxOutstandingRequests { get; init; } = ClientTransportLimits.MaxOutstandingRequests;

    /// <summary>Largest frame accepted from the server; at most <see cref="FrameLimits.MaxFrameSizeInBytes"/>.</summary>
    public int MaxFrameSizeInBytes { get; init; } = FrameLimits.MaxFrameSizeInBytes;
}
