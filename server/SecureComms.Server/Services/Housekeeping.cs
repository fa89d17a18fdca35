using SecureComms.Server.Storage;

namespace SecureComms.Server.Services;

/// <summary>What one housekeeping sweep did.</summary>
/// <param name="ForgottenMessageIds">Ids of acknowledged messages accepted more than the retention ago, forgotten.</param>
/// <param name="ExpiredSessions">Expired session rows deleted.</param>
/// <param name="ClosedConnections">Open connections whose session had expired, closed.</param>
public sealed record HousekeepingReport(int ForgottenMessageIds, int ExpiredSessions, int ClosedConnections);

/// <summary>
/// The server's periodic housekeeping: forgets old message ids (<see cref="IServerStore.ForgetMessageIdsAsync"/>),
/// deletes expired session rows (<see cref="IServerStore.DeleteExpiredSessionsAsync"/>) and closes the connections
/// whose session expired (<see cref="PresenceHub.EndExpiredSessionsAsync"/>).
/// </summary>
/// <remarks>
/// <para><b>Schedule.</b> A sweep when the server starts, then one every <see cref="ServiceOptions.HousekeepingInterval"/>
/// (<see cref="ServiceLimits.HousekeepingInterval"/>, 1 hour) until the server stops; "now" is the store's clock.</para>
/// <para><b>Idempotence bound.</b> A message id is remembered for <see cref="ServiceOptions.MessageIdRetention"/>
/// (<see cref="ServiceLimits.MessageIdRetention"/>, 30 days) after the server accepted the message, and never while
/// the message waits for its recipient. Within that window a resend with the same client message id is answered with
/// the original sequence; after it, a resend is stored and delivered as a new message.</para>
/// <para><b>Failures.</b> A failed sweep (the store busy or closing) is reported by exception type to the log and tried
/// again at the next interval; it never stops the server.</para>
/// </remarks>
internal sealed class Housekeeping(IServerStore store, PresenceHub hub, TimeProvider time, ServiceOptions options)
{
    /// <summary>Raised after every sweep that completed (tests wait on it).</summary>
    internal event Action<HousekeepingReport>? Swept;

    /// <summary>One sweep now.</summary>
    public async Task<HousekeepingReport> SweepAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset cutoff = time.GetUtcNow() - options.MessageIdRetention;
        int forgotten = await store.ForgetMessageIdsAsync(cutoff, cancellationToken).ConfigureAwait(false);
        int expired = await store.DeleteExpiredSessionsAsync(cancellationToken).ConfigureAwait(false);
        int closed = await hub.EndExpiredSessionsAsync().ConfigureAwait(false);
        var report = new HousekeepingReport(forgotten, expired, closed);
        Swept?.Invoke(report);
        return report;
    }

    /// <summary>Sweeps at once and then every interval until <paramref name="cancellationToken"/> is cancelled; never throws.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    await SweepAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    options.Log($"[cloud] housekeeping failed: {e.GetType().Name}");
                }
                await Task.Delay(options.HousekeepingInterval, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped with the server.
        }
    }
}
