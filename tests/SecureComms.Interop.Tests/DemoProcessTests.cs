using System.Diagnostics;
using System.Text.Json;

namespace SecureComms.Interop.Tests;

/// <summary>`securecomms demo` as a real process: a server and two clients on loopback, every check holding.</summary>
public sealed class DemoProcessTests
{
    [Fact]
    public async Task The_demo_plays_its_whole_scenario_and_exits_zero()
    {
        // This test runs from tests/SecureComms.Interop.Tests/bin/<configuration>/net10.0/; the CLI is built alongside.
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        string configuration = output.Parent!.Name;
        string root = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        string cli = Path.Combine(root, "apps", "SecureComms.Cli", "bin", configuration, "net10.0", "securecomms.dll");
        Assert.True(File.Exists(cli), $"securecomms.dll not built at {cli}");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { cli, "demo", "--json" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        string json = await stdout;

        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}\n{json}\n{await stderr}");
        using JsonDocument report = JsonDocument.Parse(json);
        Assert.True(report.RootElement.GetProperty("ok").GetBoolean());
        string[] titles = [.. report.RootElement.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("title").GetString()!)];
        Assert.Contains(titles, t => t.Contains("backlog", StringComparison.Ordinal));
        Assert.Contains(titles, t => t.Contains("Private Conversation", StringComparison.Ordinal));
        Assert.All(report.RootElement.GetProperty("steps").EnumerateArray(),
            s => Assert.All(s.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("ok").GetBoolean(), c.GetProperty("what").GetString())));
    }
}
