using SecureComms.Client.Transport;

namespace SecureComms.Client.Engine;

/// <summary>The client engine's bounds, each a named default.</summary>
public static class ClientEngineLimits
{
    /// <summary>The first reconnection attempt waits 200 ms...</summary>
    public static readonly TimeSpan ReconnectBaseDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>...doubling up to 10 s between attempts.</summary>
    public static readonly TimeSpan ReconnectMaxDelay = TimeSpan.FromSeconds(10);

    /// <summary>One-time prekeys uploaded at the first sign-in and at each top-up (the server's stock limit is larger).</summary>
    public const uint OneTimePreKeyBatch = 100;

    /// <summary>Incoming messages stored before an acknowledgement is sent, at most (fewer when no more are waiting);
    /// below the server's delivery window of 32, so delivery never stalls.</summary>
    public const int AckBatch = 16;
}

/// <summary>Where the engine connects, and its overrides of <see cref="ClientEngineLimits"/>.</summary>
/// <param name="Host">The server's host name or address.</param>
/// <param name="Port">Its port.</param>
/// <param name="Ca">The deployment's CA (owned by the caller, kept for reconnections).</param>
public sealed record ClientEngineOptions(string Host, int Port, PinnedCa Ca)
{
    /// <summary>The name the server's certificate must carry (default: <see cref="Host"/>).</summary>
    public string? TargetHost { get; init; }

    /// <summary>The connection's bounds.</summary>
    public CloudConnectionOptions Connection { get; init; } = new();

    /// <summary>See <see cref="ClientEngineLimits.ReconnectBaseDelay"/>.</summary>
    public TimeSpan ReconnectBaseDelay { get; init; } = ClientEngineLimits.ReconnectBaseDelay;

    /// <summary>See <see cref="ClientEngineLimits.ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = ClientEngineLimits.ReconnectMaxDelay;

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
