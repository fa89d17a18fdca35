using System.Diagnostics;
using SecureComms.Client;
using SecureComms.Client.Transport;

namespace SecureComms.Load;

/// <summary>
/// <c>idle --server HOST:PORT --ca FILE --server-pid PID --connections C [--users U]</c>: signs in users
/// <c>0..U-1</c> once, then opens C more TLS 1.3 connections, each authenticated with one of those users' session
/// tokens (round robin; the server allows a token on several connections, as for several devices), leaves them
/// idle and prints one <see cref="IdleResult"/>: the server's RSS growth per connection.
/// </summary>
/// <remarks>
/// <para><b>What a connection holds.</b> A TLS session, the connection's buffers and queues, and an
/// authenticated session attached to the presence hub: what a signed-in, idle client costs. The Argon2id
/// sign-ins happen before the "before" sample, so their transient memory is not charged to the connections.</para>
/// <para><b>Settling.</b> Both samples are taken <see cref="Settle"/> after the last step, so that in-flight
/// handshakes and presence pushes are done. RSS includes the garbage collector's not-yet-returned pages, as it
/// would for an operator reading <c>ps</c>. The server closes connections silent for 120 s
/// (<c>TransportLimits.IdleTimeout</c>); the test ends well before that, and reports how many were still open.</para>
/// </remarks>
internal static class IdleCommand
{
    /// <summary>Default signed-in users whose tokens the connections share: 100.</summary>
    public const int DefaultUsers = 100;

    /// <summary>Connections being opened at a time: 64 (enough to keep both cores busy with handshakes).</summary>
    public const int OpenConcurrency = 64;

    /// <summary>Pause before each memory sample: 3 s.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(LoadArguments args, CancellationToken cancellationToken)
    {
        var server = args.Server();
        using PinnedCa ca = PinnedCa.FromPemFile(args.Text("ca"));
        int pid = args.Integer("server-pid");
        int connections = args.Integer("connections");
        int users = args.Integer("users", DefaultUsers);
        args.RejectUnknown();

        string[] tokens = new string[users];
        CloudClient[] signedIn = await LoadUsers.SignInAllAsync(server, ca, users, cancellationToken, tokens).ConfigureAwait(false);
        var idle = new CloudClient?[connections];
        try
        {
            await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
            ProcessSample before = ProcessSample.Read(pid);

            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, connections),
                new ParallelOptions { MaxDegreeOfParallelism = OpenConcurrency, CancellationToken = cancellationToken },
                async (index, token) =>
                {
                    CloudClient client = await LoadUsers.ConnectAsync(server, ca, token).ConfigureAwait(false);
                    idle[index] = client;
                    await LoadUsers.RetryThrottledAsync(() => client.AuthenticateAsync(tokens[index % users], token), token).ConfigureAwait(false);
                }).ConfigureAwait(false);
            double openSeconds = clock.Elapsed.TotalSeconds;
            Console.Error.WriteLine($"idle: {connections} connections authenticated in {openSeconds:F1} s");

            await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
            ProcessSample after = ProcessSample.Read(pid);
            int open = idle.Count(c => c is not null && !c.Connection.Completion.IsCompleted);
            LoadJson.Print(new IdleResult("securecomms", connections, users, "session token (Authenticate) after Argon2id sign-in",
                RunCommand.Round(openSeconds), before.RssBytes, after.RssBytes,
                RunCommand.Round((double)(after.RssBytes - before.RssBytes) / connections), open));
            return 0;
        }
        finally
        {
            await LoadUsers.DisposeAllAsync(idle).ConfigureAwait(false);
            await LoadUsers.DisposeAllAsync(signedIn).ConfigureAwait(false);
        }
    }
}
