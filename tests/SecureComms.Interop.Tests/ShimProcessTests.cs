using SecureComms.Interop.Signal;

namespace SecureComms.Interop.Tests;

/// <summary>`securecomms shim signal` as a real process, driven over its stdin and stdout as another runner would.</summary>
public sealed class ShimProcessTests
{
    [Fact]
    public void The_cli_shim_plays_both_roles_against_an_in_process_shim()
    {
        // This test runs from tests/SecureComms.Interop.Tests/bin/<configuration>/net10.0/; the CLI is built alongside.
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        string configuration = output.Parent!.Name;
        string root = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        string cli = Path.Combine(root, "apps", "SecureComms.Cli", "bin", configuration, "net10.0", "securecomms.dll");
        Assert.True(File.Exists(cli), $"securecomms.dll not built at {cli}");
        InteropScenario scenario = InteropScenarios.All.Single(s => s.Name == "out_of_order_and_dropped");
        using var process = new ProcessShimPeer("securecomms (process)", "dotnet", cli, "shim", "signal");
        using var inProcess = new InProcessShimPeer();
        Play(new ShimParty(process, "alice"), new ShimParty(inProcess, "bob"));
        Play(new ShimParty(inProcess, "carol"), new ShimParty(process, "dave"));

        void Play(ShimParty alice, ShimParty bob)
        {
            alice.Init(1);
            bob.Init(2);
            scenario.Run(alice, bob);
        }
    }
}
