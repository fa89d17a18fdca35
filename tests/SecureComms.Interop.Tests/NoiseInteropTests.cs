using System.Diagnostics;
using SecureComms.Channel.Noise;
using SecureComms.Interop.Noise;
using SecureComms.Vectors;

namespace SecureComms.Interop.Tests;

/// <summary>
/// Live Noise handshakes between our HandshakeState and two third-party implementations, each started here as a
/// real process: noise-c (npm noise-c.wasm@0.4.0, through node) and Go's flynn/noise (Debian's package, built
/// offline). For each peer × {XX, IK} × {we initiate, we respond}: both complete with equal handshake hashes and
/// authenticate each other's static key, every handshake payload arrives, and three transport messages decrypt
/// each way. IK with a wrong responder key is refused by the responder in both roles. The fixture runs
/// scripts/interop-deps when a peer is missing.
/// </summary>
public sealed class NoiseInteropTests : IClassFixture<NoiseInteropTests.NoisePeersInstalled>
{
    private readonly string _directory;

    public NoiseInteropTests(NoisePeersInstalled peers)
    {
        ArgumentNullException.ThrowIfNull(peers);
        _directory = peers.Directory;
    }

    public static TheoryData<string, string, bool> Handshakes()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (NoisePeer peer in NoisePeers.All)
        {
            foreach (string pattern in NoiseInterop.Patterns)
            {
                data.Add(peer.Name, pattern, true);
                data.Add(peer.Name, pattern, false);
            }
        }
        return data;
    }

    public static TheoryData<string, bool> Peers()
    {
        var data = new TheoryData<string, bool>();
        foreach (NoisePeer peer in NoisePeers.All)
        {
            data.Add(peer.Name, true);
            data.Add(peer.Name, false);
        }
        return data;
    }

    [Theory, MemberData(nameof(Handshakes))]
    public void Handshake_payloads_and_transport_interoperate(string peerName, string pattern, bool weInitiate)
    {
        var c = new NoiseInteropCase(pattern, weInitiate, WrongRemoteStatic: false);
        NoiseInteropTranscript t = NoiseInterop.PlayTranscript(Peer(peerName), _directory, c);

        Assert.True(t.Completed, $"{t.Label}: ours refused {t.OurRefusal}, theirs refused {t.TheirRefusal}");
        Assert.Equal(32, t.OurHandshakeHash!.Length);
        Assert.Equal(Convert.ToHexString(t.OurHandshakeHash), Convert.ToHexString(t.TheirHandshakeHash!));
        Assert.Equal(Convert.ToHexString(t.TheirStatic), Convert.ToHexString(t.OurViewOfTheirStatic!));
        Assert.Equal(Convert.ToHexString(t.OurStatic), Convert.ToHexString(t.TheirViewOfOurStatic!));

        Assert.Equal(c.Protocol.Pattern.Messages.Count, t.HandshakePayloads.Count);
        Assert.Equal(
            c.Protocol.Pattern.Messages.Select(m => m.FromInitiator == weInitiate),
            t.HandshakePayloads.Select(d => d.FromUs));
        Assert.All(t.HandshakePayloads, d => Assert.Equal(Convert.ToHexString(d.Sent), Convert.ToHexString(d.Received!)));

        Assert.Equal(NoiseInteropRun.TransportMessagesEachWay, t.TransportMessages.Count(d => d.FromUs));
        Assert.Equal(NoiseInteropRun.TransportMessagesEachWay, t.TransportMessages.Count(d => !d.FromUs));
        Assert.All(t.TransportMessages, d => Assert.Equal(Convert.ToHexString(d.Sent), Convert.ToHexString(d.Received!)));
        Assert.Equal(Outcome.Passed, t.CheckSuccess(NoiseInteropRun.TransportMessagesEachWay).Outcome);
    }

    [Theory, MemberData(nameof(Peers))]
    public void IK_with_a_wrong_responder_key_is_refused_by_the_responder(string peerName, bool weInitiate)
    {
        var c = new NoiseInteropCase("IK", weInitiate, WrongRemoteStatic: true);
        NoiseInteropTranscript t = NoiseInterop.PlayTranscript(Peer(peerName), _directory, c);

        Assert.False(t.Completed);
        Assert.Null(t.OurHandshakeHash);
        Assert.Null(t.TheirHandshakeHash);
        NoiseDelivery first = Assert.Single(t.HandshakePayloads);
        Assert.Equal(weInitiate, first.FromUs);
        Assert.Null(first.Received);
        Assert.Empty(t.TransportMessages);
        if (weInitiate)
        {
            Assert.NotNull(t.TheirRefusal); // the peer, as responder, could not decrypt our static key
            Assert.Null(t.OurRefusal);
        }
        else
        {
            Assert.Equal(NoiseError.DecryptionFailed, t.OurRefusal);
            Assert.Null(t.TheirRefusal);
        }
        Assert.Equal(Outcome.Passed, t.CheckRefusedByResponder().Outcome);
    }

    [Theory, MemberData(nameof(Peers))]
    public void Transcript_checks_reject_what_did_not_happen(string peerName, bool weInitiate)
    {
        // The transcript's own check must be able to fail: a successful run judged as a refusal does not pass.
        var c = new NoiseInteropCase("XX", weInitiate, WrongRemoteStatic: false);
        NoiseInteropTranscript t = NoiseInterop.PlayTranscript(Peer(peerName), _directory, c);
        Assert.Equal(Outcome.Failed, t.CheckRefusedByResponder().Outcome);
        Assert.Equal(Outcome.Failed, t.CheckSuccess(NoiseInteropRun.TransportMessagesEachWay + 1).Outcome);
    }

    [Fact]
    public void Conformance_sources_pass_every_case_with_nothing_skipped()
    {
        foreach (NoisePeer peer in NoisePeers.All)
        {
            SourceReport report = NoiseInterop.Run(peer);
            Assert.Equal($"interop/{peer.Name}", report.Source);
            Assert.Equal(NoiseInterop.Cases.Count, report.Cases);
            Assert.True(report.Passed == report.Cases, string.Join("\n", report.Results.Where(r => r.Outcome != Outcome.Passed)));
        }
    }

    private static NoisePeer Peer(string name) => NoisePeers.All.Single(p => p.Name == name);

    /// <summary>Installs the Noise peers (scripts/interop-deps: npm ci, apt, go build) once, if any is missing.</summary>
    public sealed class NoisePeersInstalled
    {
        public NoisePeersInstalled()
        {
            Directory = NoisePeers.LocateDirectory() ?? throw new InvalidOperationException("interop/noise not found above the test output.");
            if (NoisePeers.All.All(p => p.IsInstalledIn(Directory)))
            {
                return;
            }
            string script = Path.Combine(Directory, "..", "..", "scripts", "interop-deps");
            using Process install = Process.Start(new ProcessStartInfo("bash", [script]) { UseShellExecute = false })!;
            install.WaitForExit();
            Assert.True(
                install.ExitCode == 0 && NoisePeers.All.All(p => p.IsInstalledIn(Directory)),
                "scripts/interop-deps could not install the Noise peers");
        }

        public string Directory { get; }
    }
}
