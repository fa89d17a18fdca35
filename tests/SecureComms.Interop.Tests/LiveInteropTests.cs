using System.Diagnostics;
using SecureComms.Interop.Signal;
using SecureComms.Vectors;

namespace SecureComms.Interop.Tests;

/// <summary>
/// Every interop scenario against each real peer (libsignal through its node binding, and
/// libsignal-protocol-typescript), in both roles. The peers are installed by scripts/interop-deps, which this
/// fixture runs when node_modules is missing. A case may be skipped only for its peer's documented deviation.
/// </summary>
public sealed class LiveInteropTests : IClassFixture<LiveInteropTests.NodePeers>
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (SignalPeer peer in SignalInterop.Peers)
        {
            foreach (InteropScenario scenario in InteropScenarios.All)
            {
                data.Add(peer.Name, scenario.Name);
            }
        }
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Scenario(string peerName, string scenario)
    {
        SignalPeer peer = SignalInterop.Peers.Single(p => p.Name == peerName);
        List<CaseResult> results = [.. SignalInterop.RunCases(peer, [scenario])];
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.True(
            r.Outcome == Outcome.Passed || (r.Outcome == Outcome.Skipped && peer.KnownDeviations.Values.Contains(r.Detail)),
            r.ToString()));
    }

    [Fact]
    public void Both_roles_are_played_against_libsignal_for_every_scenario()
    {
        SignalPeer libsignal = SignalInterop.Peers.Single(p => p.Name.StartsWith("libsignal-client@", StringComparison.Ordinal));
        Assert.Empty(libsignal.KnownDeviations);
    }

    /// <summary>Installs the pinned node peers (npm ci) once, if they are not there.</summary>
    public sealed class NodePeers
    {
        public NodePeers()
        {
            if (SignalInterop.LocateShims() is not null)
            {
                return;
            }
            string script = Path.Combine(Root(), "scripts", "interop-deps");
            using Process install = Process.Start(new ProcessStartInfo("bash", [script]) { UseShellExecute = false })!;
            install.WaitForExit();
            Assert.True(install.ExitCode == 0 && SignalInterop.LocateShims() is not null, "scripts/interop-deps could not install the node peers");
        }

        private static string Root()
        {
            for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "SecureComms.sln")))
                {
                    return d.FullName;
                }
            }
            throw new InvalidOperationException("SecureComms.sln not found above the test output.");
        }
    }
}
