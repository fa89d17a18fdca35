namespace SecureComms.Server.Services;

/// <summary>The bounds of the application handlers, every one named (the transport's are <see cref="Transport.TransportLimits"/>).</summary>
public static class ServiceLimits
{
    /// <summary>Registrations per source address: a burst of 10...</summary>
    public const int RegistrationBurst = 10;

    /// <summary>...refilled at one per minute. Each registration costs the server one Argon2id derivation.</summary>
    public const double RegistrationsPerSecond = 1.0 / 60;

    /// <summary>Bundle fetches per requesting user: a burst of 10...</summary>
    public const int BundleFetchBurst = 10;

    /// <summary>...refilled at one per 30 s: bounds how fast one account can drain others' one-time prekeys (X3DH §4.7).</summary>
    public const double BundleFetchesPerSecond = 1.0 / 30;

    /// <summary>Messages pushed to one connection and not yet acknowledged: at most 32 (half the outgoing queue,
    /// <see cref="Transport.TransportLimits.OutgoingQueueCapacity"/>, so answers and presence still fit). The rest
    /// follow as the client acknowledges.</summary>
    public const int DeliveryWindow = 32;

    /// <summary>Rate-limit buckets kept (addresses or users) before the table is cleared: 100,000.</summary>
    public const int MaxTrackedBuckets = 100_000;

    /// <summary>A client message id is a GUID: 16 bytes.</summary>
    public const int ClientMessageIdSizeInBytes = 16;

    /// <summary>Largest message body a client may send: the store's limit less the one flags byte the server adds
    /// (<see cref="MessageHandlers"/>).</summary>
    public const int MaxMessageBodySizeInBytes = Storage.MessageLimits.MaxBodySizeInBytes - 1;
}

/// <summary>The bounds of call signaling (<see cref="CallSignaling"/>).</summary>
public static class CallLimits
{
    /// <summary>A call id is a GUID chosen by the caller: 16 bytes.</summary>
    public const int CallIdSizeInBytes = 16;

    /// <summary>Largest opaque payload of a signal (SDP, candidates): 16 KiB.</summary>
    public const int MaxPayloadSizeInBytes = 16 * 1024;

    /// <summary>An invite not accepted within 45 s ends with a TIMEOUT pushed to both sides.</summary>
    public static readonly TimeSpan RingTimeout = TimeSpan.FromSeconds(45);
}

/// <summary>Per-server overrides of <see cref="ServiceLimits"/> (tests shrink them).</summary>
public sealed record ServiceOptions
{
    /// <summary>See <see cref="ServiceLimits.RegistrationBurst"/>.</summary>
    public int RegistrationBurst { get; init; } = ServiceLimits.RegistrationBurst;

    /// <summary>See <see cref="ServiceLimits.RegistrationsPerSecond"/>.</summary>
    public double RegistrationsPerSecond { get; init; } = ServiceLimits.RegistrationsPerSecond;

    /// <summary>See <see cref="ServiceLimits.BundleFetchBurst"/>.</summary>
    public int BundleFetchBurst { get; init; } = ServiceLimits.BundleFetchBurst;

    /// <summary>See <see cref="ServiceLimits.BundleFetchesPerSecond"/>.</summary>
    public double BundleFetchesPerSecond { get; init; } = ServiceLimits.BundleFetchesPerSecond;

    /// <summary>See <see cref="ServiceLimits.DeliveryWindow"/>.</summary>
    public int DeliveryWindow { get; init; } = ServiceLimits.DeliveryWindow;

    /// <summary>See <see cref="CallLimits.RingTimeout"/>.</summary>
    public TimeSpan RingTimeout { get; init; } = CallLimits.RingTimeout;

    /// <summary>The clock for the rate limits and the ring timeout.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where background failures are reported (by exception type only).</summary>
    public Action<string> Log { get; init; } = static line => Console.Error.WriteLine(line);
}
