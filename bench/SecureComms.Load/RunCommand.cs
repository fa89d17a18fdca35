using System.Diagnostics;
using System.Security.Cryptography;
using SecureComms.Client;
using SecureComms.Client.Transport;

namespace SecureComms.Load;

/// <summary>
/// <c>run --server HOST:PORT --ca FILE --server-pid PID --clients N --messages M [--window W]</c>: signs in N
/// clients (users <c>0..N-1</c>, made by <c>setup</c>), then runs N/2 <see cref="MessagePair"/>s at once and
/// prints one <see cref="RunResult"/> as JSON.
/// </summary>
/// <remarks>
/// <para><b>Clocks.</b> Sign-in: from the first connection to the last session, with the server's CPU time over
/// the same span. Messages: from just before the first send to the last delivery (wall clock); the server's
/// CPU time from a /proc sample just before the first send to one just after the last delivery. Peak RSS is
/// the server's <c>VmHWM</c>: since it started, so it includes sign-in (Argon2id's 19 MiB per verification).</para>
/// <para><b>Hazard.</b> The load generator shares the machine with the server: on 2 cores, its own CPU time is
/// CPU the server does not get. Prosody's driver pays the same.</para>
/// </remarks>
internal static class RunCommand
{
    /// <summary>Default window: 32 messages in flight per pair (the server's delivery window).</summary>
    public const int DefaultWindow = 32;

    /// <summary>A run that has not finished after 10 minutes is abandoned (a lost message would otherwise hang it).</summary>
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(LoadArguments args, CancellationToken cancellationToken)
    {
        var server = args.Server();
        using PinnedCa ca = PinnedCa.FromPemFile(args.Text("ca"));
        int pid = args.Integer("server-pid");
        int clients = args.Integer("clients", minimum: 2);
        int messages = args.Integer("messages");
        int window = args.Integer("window", DefaultWindow);
        args.RejectUnknown();
        if (clients % 2 != 0)
        {
            throw new ArgumentException("--clients must be even (sender, receiver pairs)");
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RunTimeout);

        ProcessSample beforeSignIn = ProcessSample.Read(pid);
        CloudClient[] signedIn = await LoadUsers.SignInAllAsync(server, ca, clients, deadline.Token).ConfigureAwait(false);
        ProcessSample afterSignIn = ProcessSample.Read(pid);
        try
        {
            double signInSeconds = afterSignIn.WallSecondsSince(beforeSignIn);
            double signInCpu = afterSignIn.CpuSecondsSince(beforeSignIn);
            var signIn = new SignInResult(clients, LoadUsers.SignInConcurrency, Round(signInSeconds), Round(clients / signInSeconds),
                Round(signInCpu), Round(signInCpu * 1000 / clients));
            Console.Error.WriteLine($"run: {clients} clients signed in in {signInSeconds:F1} s");

            long nonce = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(sizeof(long)));
            MessagePair[] pairs = [.. Enumerable.Range(0, clients / 2)
                .Select(k => new MessagePair(signedIn[2 * k], signedIn[2 * k + 1], messages, window, nonce))];

            ProcessSample start = ProcessSample.Read(pid);
            long firstSend = Stopwatch.GetTimestamp();
            try
            {
                await Task.WhenAll(pairs.Select(p => Task.Run(() => p.RunAsync(deadline.Token), deadline.Token))).ConfigureAwait(false);
            }
            finally
            {
                Array.ForEach(pairs, p => p.Dispose());
            }
            ProcessSample end = ProcessSample.Read(pid);

            long lastDelivery = pairs.Max(p => p.LastDeliveryTicks);
            double seconds = Stopwatch.GetElapsedTime(firstSend, lastDelivery).TotalSeconds;
            double[] latencies = [.. pairs.SelectMany(p => p.LatenciesMs.ToArray())];
            Array.Sort(latencies);
            double cpu = end.CpuSecondsSince(start);
            LoadJson.Print(new RunResult("securecomms", clients, clients / 2, messages, MessagePair.BodySizeInBytes, window,
                latencies.Length, Round(seconds), Round(latencies.Length / seconds),
                Round(LatencySample.Percentile(latencies, 50)), Round(LatencySample.Percentile(latencies, 99)), Round(latencies[^1]),
                Round(cpu), Round(cpu / end.WallSecondsSince(start) * 100), end.RssBytes, end.PeakRssBytes, signIn));
            return 0;
        }
        finally
        {
            await LoadUsers.DisposeAllAsync(signedIn).ConfigureAwait(false);
        }
    }

    /// <summary>Three decimals: enough for milliseconds and messages per second, and short JSON.</summary>
    internal static double Round(double value) => Math.Round(value, 3);
}
