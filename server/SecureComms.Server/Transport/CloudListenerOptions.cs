using SecureComms.Cloud.Framing;

namespace SecureComms.Server.Transport;

/// <summary>
/// The bounds and sinks of one <see cref="CloudListener"/>. Defaults are <see cref="TransportLimits"/> and
/// <see cref="FrameLimits.MaxFrameSizeInBytes"/>; tests override them (a 300 ms idle timeout, a 3-request bucket).
/// </summary>
public sealed record CloudListenerOptions
{
    /// <summary>See <see cref="TransportLimits.HandshakeTimeout"/>.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TransportLimits.HandshakeTimeout;

    /// <summary>See <see cref="TransportLimits.IdleTimeout"/>.</summary>
    public TimeSpan IdleTimeout { get; init; } = TransportLimits.IdleTimeout;

    /// <summary>See <see cref="TransportLimits.SendTimeout"/>.</summary>
    public TimeSpan SendTimeout { get; init; } = TransportLimits.SendTimeout;

    /// <summary>See <see cref="TransportLimits.CloseDrainTimeout"/>.</summary>
    public TimeSpan CloseDrainTimeout { get; init; } = TransportLimits.CloseDrainTimeout;

    /// <summary>See <see cref="TransportLimits.ShutdownTimeout"/>.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TransportLimits.ShutdownTimeout;

    /// <summary>See <see cref="TransportLimits.MaxConnections"/>.</summary>
    public int MaxConnections { get; init; } = TransportLimits.MaxConnections;

    /// <summary>Largest request body; at most <see cref="FrameLimits.MaxFrameSizeInBytes"/>.</summary>
    public int MaxFrameSizeInBytes { get; init; } = FrameLimits.MaxFrameSizeInBytes;

    /// <summary>See <see cref="TransportLimits.RequestBurst"/>.</summary>
    public int RequestBurst { get; init; } = TransportLimits.RequestBurst;

    /// <summary>See <see cref="TransportLimits.RequestsPerSecond"/>.</summary>
    public double RequestsPerSecond { get; init; } = TransportLimits.RequestsPerSecond;

    /// <summary>See <see cref="TransportLimits.OutgoingQueueCapacity"/>.</summary>
    public int OutgoingQueueCapacity { get; init; } = TransportLimits.OutgoingQueueCapacity;

    /// <summary>The clock of the rate limiter.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where one-line diagnostics go (standard error by default). Lines name connections, endpoints,
    /// reasons and exception types; never payloads, keys or tokens.</summary>
    public Action<string> Log { get; init; } = static line => Console.Error.WriteLine(line);

    /// <summary>Called once per connection when it is closed, with the reason (tests and metrics).</summary>
    public Action<ConnectionClosedEvent>? ConnectionClosed { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bound out of range.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HandshakeTimeout, TimeSpan.Zero, nameof(HandshakeTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(IdleTimeout, TimeSpan.Zero, nameof(IdleTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SendTimeout, TimeSpan.Zero, nameof(SendTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(CloseDrainTimeout, TimeSpan.Zero, nameof(CloseDrainTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(ShutdownTimeout, TimeSpan.Zero, nameof(ShutdownTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnections, 1, nameof(MaxConnections));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrameSizeInBytes, FrameLimits.MinFrameSizeInBytes, nameof(MaxFrameSizeInBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxFrameSizeInBytes, FrameLimits.MaxFrameSizeInBytes, nameof(MaxFrameSizeInBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(RequestBurst, 1, nameof(RequestBurst));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestsPerSecond, 0, nameof(RequestsPerSecond));
        ArgumentOutOfRangeException.ThrowIfLessThan(OutgoingQueueCapacity, 1, nameof(OutgoingQueueCapacity));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentNullException.ThrowIfNull(Log, nameof(Log));
    }
}
