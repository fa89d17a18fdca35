using System.Diagnostics;
using SecureComms.Channel.Noise;
using SecureComms.Interop.Signal;
using SecureComms.Vectors;

namespace SecureComms.Interop.Noise;

/// <summary>One live Noise interop case: a pattern, who initiates, and whether the initiator gets a wrong responder key.</summary>
/// <param name="Pattern">The pattern section of the protocol name (<c>XX</c> or <c>IK</c>).</param>
/// <param name="WeInitiate">Whether SecureComms is the initiator.</param>
/// <param name="WrongRemoteStatic">The negative case: the initiator's pre-declared <c>rs</c> is an unrelated key.</param>
public sealed record NoiseInteropCase(string Pattern, bool WeInitiate, bool WrongRemoteStatic)
{
    /// <summary>The full protocol, e.g. <c>Noise_IK_25519_AESGCM_SHA256</c>.</summary>
    public NoiseProtocolName Protocol => NoiseProtocolName.ForPattern(Pattern);

    /// <summary>The case id in reports.</summary>
    public string Id(string peer) =>
        $"{Pattern}{(WrongRemoteStatic ? " wrong remote static" : "")} ({(WeInitiate ? $"securecomms→{peer}" : $"{peer}→securecomms")})";
}

/// <summary>
/// Live Noise interop as conformance sources (<c>interop/noise-c.wasm@0.4.0</c>, <c>interop/flynn-noise</c>): the
/// channel's two patterns, XX and IK, in both roles, each with handshake payloads and
/// <see cref="NoiseInteropRun.TransportMessagesEachWay"/> transport messages each way, plus IK with a wrong
/// responder key in both roles (refused by the responder).
/// </summary>
public static class NoiseInterop
{
    /// <summary>The patterns the channel uses (issue 6): XX for first contact, IK when the peer's key is known.</summary>
    public static IReadOnlyList<string> Patterns { get; } = ["XX", "IK"];

    /// <summary>Every case, positive then negative.</summary>
    public static IReadOnlyList<NoiseInteropCase> Cases { get; } =
    [
        .. Patterns.SelectMany(p => new[] { true, false }.Select(we => new NoiseInteropCase(p, we, false))),
        new("IK", true, true),
        new("IK", false, true),
    ];

    /// <summary>Runs every case against <paramref name="peer"/>.</summary>
    public static SourceReport Run(NoisePeer peer) => new(peer.Source, [.. RunCases(peer)]);

    /// <summary>The cases of <see cref="Run"/>, as they complete; skipped (with the reason) when the peer is not installed.</summary>
    public static IEnumerable<CaseResult> RunCases(NoisePeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        string? directory = NoisePeers.LocateDirectory();
        foreach (NoiseInteropCase c in Cases)
        {
            if (directory is null || !peer.IsInstalledIn(directory))
            {
                yield return new CaseResult(peer.Source, c.Id(peer.Name), Outcome.Skipped, NoisePeers.NotInstalledReason);
                continue;
            }
            Verdict verdict = Play(peer, directory, c);
            yield return new CaseResult(peer.Source, c.Id(peer.Name), verdict.Outcome, verdict.Detail);
        }
    }

    /// <summary>Plays one case on a fresh shim process and returns its transcript.</summary>
    /// <exception cref="InteropException">The peer could not be started or broke the shim protocol.</exception>
    public static NoiseInteropTranscript PlayTranscript(NoisePeer peer, string directory, NoiseInteropCase c)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(c);
        using ProcessShimPeer process = peer.Start(directory);
        return NoiseInteropRun.Play(new NoiseShimClient(process), c.Protocol, c.WeInitiate, c.WrongRemoteStatic);
    }

    private static Verdict Play(NoisePeer peer, string directory, NoiseInteropCase c)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            NoiseInteropTranscript transcript = PlayTranscript(peer, directory, c);
            Verdict verdict = c.WrongRemoteStatic ? transcript.CheckRefusedByResponder() : transcript.CheckSuccess(NoiseInteropRun.TransportMessagesEachWay);
            return verdict.Outcome == Outcome.Passed ? Verdict.Pass($"{clock.ElapsedMilliseconds} ms") : verdict;
        }
        catch (InteropException e)
        {
            return Verdict.Fail(e.Message);
        }
    }
}
