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

    /// <summary>Identity certificates issued per user: a burst of 5...</summary>
    public const int CertificateIssueBurst = 5;

    /// <summary>...refilled at one per 10 minutes. Each costs an Ed25519 signature and a store read; a client needs
    /// one per device every few days (<see cref="Cloud.Certificates.CertificateIssuer.DefaultValidity"/> is 7 days).</summary>
    public const double CertificateIssuesPerSecond = 1.0 / 600;

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

    /// <summary>The server's housekeeping (<see cref="Housekeeping"/>) runs at start and then every hour: expired
    /// sessions are pruned and their open connections closed at most this late.</summary>
    public static readonly TimeSpan HousekeepingInterval = TimeSpan.FromHours(1);

    /// <summary>
    /// How long the id of an accepted (and acknowledged) message is remembered: 30 days. Within it a resend with the
    /// same client message id is answered with the original sequence and not stored twice; after it, the resend is a
    /// new message. This is the bound of idempotence. It is longer than any client retries: the client's outbox
    /// retries within seconds while connected and resends what is left at its next connection, and a client that has
    /// been away longer than a session lasts (<see cref="Accounts.SessionToken.Lifetime"/>, also 30 days) must sign in
    /// again first. Ids of messages still waiting for their recipient are never forgotten.
    /// </summary>
    public static readonly TimeSpan MessageIdRetention = TimeSpan.FromDays(30);
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

    /// <summary>See <see cref="ServiceLimits.CertificateIssueBurst"/>.</summary>
    public int CertificateIssueBurst { get; init; } = ServiceLimits.CertificateIssueBurst;

    /// <summary>See <see cref="ServiceLimits.CertificateIssuesPerSecond"/>.</summary>
    public double CertificateIssuesPerSecond { get; init; } = ServiceLimits.CertificateIssuesPerSecond;

    /// <summary>See <see cref="ServiceLimits.HousekeepingInterval"/>.</summary>
    public TimeSpan HousekeepingInterval { get; init; } = ServiceLimits.HousekeepingInterval;

    /// <summary>See <see cref="ServiceLimits.MessageIdRetention"/>.</summary>
    public TimeSpan MessageIdRetention { get; init; } = ServiceLimits.MessageIdRetention;

    /// <summary>See <see cref="ServiceLimits.DeliveryWindow"/>.</summary>
    public int DeliveryWindow { get; init; } = ServiceLimits.DeliveryWindow;

    /// <summary>See <see cref="CallLimits.RingTimeout"/>.</summary>
    public TimeSpan RingTimeout { get; init; } = CallLimits.RingTimeout;

    /// <summary>The clock for the rate limits and the ring timeout.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where background failures are reported (by exception type only).</summary>
    public Action<string> Log { get; init; } = static line => Console.Error.WriteLine(line);
}
