using System.Net;
using SecureComms.Client;
using SecureComms.Client.Transport;
using SecureComms.Cloud.Proto;

namespace SecureComms.Load;

/// <summary>
/// The load run's accounts and how they sign in: users <c>load00000</c>, <c>load00001</c>... with one shared
/// password; user 2k sends to user 2k + 1 (accepted contacts, made by <c>setup</c>).
/// </summary>
/// <remarks>
/// <para><b>Sign-in concurrency.</b> The server admits at most four concurrent sign-ins per source address
/// (<c>SignInThrottle.MaxConcurrentPerAddress</c>) and answers a fifth <c>CODE_RATE_LIMITED</c>; every client
/// of the load run comes from 127.0.0.1, so at most <see cref="SignInConcurrency"/> sign-ins are in flight, and a
/// refused one is retried after <see cref="ThrottledRetryDelay"/>. Each costs the server one Argon2id
/// verification (OWASP minimum: 19 MiB, 2 passes), which is what the sign-in figure measures.</para>
/// <para><b>Secrets.</b> The password is a fixed test value for throwaway accounts in a temporary deployment;
/// session tokens stay in memory and are never printed.</para>
/// </remarks>
internal static class LoadUsers
{
    /// <summary>The password of every load account (at least the server's 15 characters).</summary>
    public const string Password = "load-test passphrase, throwaway";

    /// <summary>Concurrent sign-ins: the server's per-address limit, 4.</summary>
    public const int SignInConcurrency = 4;

    /// <summary>Wait before retrying a throttled request: 50 ms.</summary>
    public static readonly TimeSpan ThrottledRetryDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>Requests may queue behind thousands of others during a load run: 120 s before giving up.</summary>
    public static readonly CloudConnectionOptions ConnectionOptions = new()
    {
        RequestTimeout = TimeSpan.FromSeconds(120),
        ConnectTimeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>The name of user <paramref name="index"/>.</summary>
    public static string Name(int index) => $"load{index:D5}";

    /// <summary>A new connection to <paramref name="server"/>, not signed in.</summary>
    public static Task<CloudClient> ConnectAsync(IPEndPoint server, PinnedCa ca, CancellationToken cancellationToken) =>
        CloudClient.ConnectAsync(server.Address.ToString(), server.Port, ca, "localhost", ConnectionOptions, cancellationToken);

    /// <summary>Runs <paramref name="request"/> again while the server answers <c>CODE_RATE_LIMITED</c>.</summary>
    public static async Task<T> RetryThrottledAsync<T>(Func<Task<T>> request, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await request().ConfigureAwait(false);
            }
            catch (CloudErrorException e) when (e.Code == Code.RateLimited)
            {
                await Task.Delay(ThrottledRetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Connects and signs in users <c>0..count-1</c>, at most <see cref="SignInConcurrency"/> at a time; returns
    /// the clients in user order, and each user's session token in <paramref name="tokens"/> when given (kept in
    /// memory only). On failure every client made so far is disposed.
    /// </summary>
    public static async Task<CloudClient[]> SignInAllAsync(IPEndPoint server, PinnedCa ca, int count, CancellationToken cancellationToken,
        string[]? tokens = null)
    {
        var clients = new CloudClient?[count];
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions
            {
                MaxDegreeOfParallelism = SignInConcurrency,
                CancellationToken = cancellationToken,
            }, async (index, token) =>
            {
                CloudClient client = await ConnectAsync(server, ca, token).ConfigureAwait(false);
                clients[index] = client;
                SignedIn answer = await RetryThrottledAsync(() => client.SignInAsync(Name(index), Password, token), token).ConfigureAwait(false);
                if (tokens is not null)
                {
                    tokens[index] = answer.Token;
                }
            }).ConfigureAwait(false);
            return [.. clients.Select(c => c!)];
        }
        catch
        {
            await DisposeAllAsync(clients).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Disposes every non-null client.</summary>
    public static async Task DisposeAllAsync(IEnumerable<CloudClient?> clients)
    {
        foreach (CloudClient? client in clients)
        {
            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
