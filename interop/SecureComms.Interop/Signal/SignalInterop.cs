using System.Diagnostics;
using SecureComms.Vectors;

namespace SecureComms.Interop.Signal;

/// <summary>Another Signal implementation, driven through its shim in <c>interop/signal/</c>.</summary>
/// <param name="Name">Package and pinned version, as reports show it.</param>
/// <param name="Script">Its shim, relative to <c>interop/signal/</c>.</param>
/// <param name="KnownDeviations">Scenarios this implementation cannot pass for a documented reason of its
/// own, keyed by (scenario, its role: "alice" or "bob").</param>
public sealed record SignalPeer(string Name, string Script, IReadOnlyDictionary<(string Scenario, string Role), string> KnownDeviations)
{
    /// <summary>Report source name, e.g. <c>interop/libsignal-client@0.72.1</c>.</summary>
    public string Source => $"interop/{Name}";
}

/// <summary>
/// Live interop: every <see cref="InteropScenarios"/> scenario played between our shim and each peer,
/// in both roles, as conformance sources.
/// </summary>
public static class SignalInterop
{
    /// <summary>Environment variable naming the <c>interop/signal</c> directory (else it is searched upwards).</summary>
    public const string DirectoryVariable = "SECURECOMMS_INTEROP_DIR";

    /// <summary>Skip reason when the node peers are not installed.</summary>
    public const string NotInstalledReason = "node peers not installed: run scripts/interop-deps (npm ci in interop/signal)";

    private const string TypeScriptSlow = "libsignal-protocol-typescript 0.0.16 refuses forward jumps over 2,000 (libsignal's limit is 25,000), and at ~80 messages/s cannot send 25,002 in a test";

    /// <summary>The peers, at the versions pinned in <c>interop/signal/package.json</c>.</summary>
    public static IReadOnlyList<SignalPeer> Peers { get; } =
    [
        new("libsignal-client@0.72.1", "libsignal-shim.mjs", new Dictionary<(string, string), string>()),
        new("libsignal-protocol-typescript@0.0.16", "typescript-shim.mjs", new Dictionary<(string, string), string>
        {
            [("first_message_without_one_time_prekey", "alice")] =
                "libsignal-protocol-typescript 0.0.16 writes pre_key_id 0 when the bundle has no one-time prekey, which receivers (libsignal too) look up and refuse",
            [("far_future_limit", "alice")] = TypeScriptSlow,
            [("far_future_limit", "bob")] = TypeScriptSlow,
            [("session_reset", "bob")] =
                "libsignal-protocol-typescript 0.0.16: once a late message has re-opened an archived session, the newer session's next message fails with 'Bad MAC' (libsignal and SecureComms keep both usable)",
            [("identity_change_on_prekey_message", "bob")] =
                "libsignal-protocol-typescript 0.0.16 does not await its trust check on incoming PreKeySignalMessages (SessionBuilder.processV3) and accepts a changed identity",
        }),
    ];

    /// <summary>The <c>interop/signal</c> directory with its node_modules installed, or null.</summary>
    public static string? LocateShims()
    {
        string? configured = Environment.GetEnvironmentVariable(DirectoryVariable);
        IEnumerable<string> candidates = configured is not null
            ? [configured]
            : Ancestors(AppContext.BaseDirectory).Concat(Ancestors(Environment.CurrentDirectory)).Select(d => Path.Combine(d, "interop", "signal"));
        return candidates.FirstOrDefault(d => Directory.Exists(Path.Combine(d, "node_modules")));
    }

    /// <summary>Plays every scenario against <paramref name="peer"/> in both roles.</summary>
    public static SourceReport Run(SignalPeer peer) => new(peer.Source, [.. RunCases(peer)]);

    /// <summary>The cases of <see cref="Run"/>, as they complete.</summary>
    public static IEnumerable<CaseResult> RunCases(SignalPeer peer, IReadOnlyCollection<string>? scenarios = null)
    {
        ArgumentNullException.ThrowIfNull(peer);
        string? directory = LocateShims();
        ShimPeer? theirs = null;
        try
        {
            foreach (InteropScenario scenario in InteropScenarios.All.Where(s => scenarios is null || scenarios.Contains(s.Name)))
            {
                foreach (bool oursFirst in new[] { true, false })
                {
                    string caseId = $"{scenario.Name} ({(oursFirst ? $"securecomms→{peer.Name}" : $"{peer.Name}→securecomms")})";
                    if (directory is null)
                    {
                        yield return new CaseResult(peer.Source, caseId, Outcome.Skipped, NotInstalledReason);
                        continue;
                    }
                    if (peer.KnownDeviations.TryGetValue((scenario.Name, oursFirst ? "bob" : "alice"), out string? reason))
                    {
                        yield return new CaseResult(peer.Source, caseId, Outcome.Skipped, reason);
                        continue;
                    }
                    theirs ??= new ProcessShimPeer(peer.Name, "node", Path.Combine(directory, peer.Script));
                    (Verdict verdict, bool broken) = Play(scenario, theirs, oursFirst);
                    if (broken)
                    {
                        theirs.Dispose();
                        theirs = null;
                    }
                    yield return new CaseResult(peer.Source, caseId, verdict.Outcome, verdict.Detail);
                }
            }
        }
        finally
        {
            theirs?.Dispose();
        }
    }

    /// <summary>One scenario on fresh parties; <c>broken</c> when the peer process must be restarted.</summary>
    private static (Verdict Verdict, bool Broken) Play(InteropScenario scenario, ShimPeer theirs, bool oursFirst)
    {
        using var ours = new InProcessShimPeer();
        var alice = new ShimParty(oursFirst ? ours : theirs, "alice");
        var bob = new ShimParty(oursFirst ? theirs : ours, "bob");
        var clock = Stopwatch.StartNew();
        try
        {
            alice.Init(1111);
            bob.Init(2222);
            scenario.Run(alice, bob);
            return (Verdict.Pass($"{clock.ElapsedMilliseconds} ms"), false);
        }
        catch (ScenarioFailedException e)
        {
            return (Verdict.Fail(e.Message), false);
        }
        catch (InteropException e)
        {
            return (Verdict.Fail(e.Message), true);
        }
    }

    private static IEnumerable<string> Ancestors(string start)
    {
        for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
        {
            yield return d.FullName;
        }
    }
}
