using System.Diagnostics;
using System.Text.Json.Nodes;
using SecureComms.Cloud.Tests.Durability;

namespace SecureComms.Cloud.Tests.Client;

/// <summary>
/// The client commands of <c>securecomms</c> as a user's scripts run them (real processes, <c>--json</c>) against the real
/// service: one command per step, the profile carrying the session and the server address between them.
/// </summary>
public sealed class CliCommandTests
{
    [Fact]
    public async Task Register_login_contacts_presence_send_and_inbox_work_one_command_at_a_time()
    {
        await using var fixture = new EngineFixture();
        string alice = fixture.NewProfileDirectory();
        string bob = fixture.NewProfileDirectory();
        string[] server = ["--server", $"127.0.0.1:{fixture.Port}", "--ca", fixture.CaPath];

        Assert.True((bool)(await RunAsync(["register", "alice", "--password-stdin", "--json", "--profile", alice, .. server], EngineFixture.Password))["ok"]!);
        await RunAsync(["register", "bob", "--password-stdin", "--json", "--profile", bob, .. server], EngineFixture.Password);
        JsonNode login = await RunAsync(["login", "alice", "--password-stdin", "--json", "--profile", alice], EngineFixture.Password);
        Assert.Equal("alice", (string?)login["username"]); // --server and --ca remembered from register
        await RunAsync(["login", "bob", "--password-stdin", "--json", "--profile", bob], EngineFixture.Password);

        JsonNode requested = await RunAsync(["contacts", "add", "bob", "--json", "--profile", alice]);
        Assert.Equal("request_sent", (string?)requested["contacts"]![0]!["status"]);
        await RunAsync(["contacts", "accept", "alice", "--json", "--profile", bob]);
        await RunAsync(["presence", "set", "busy", "--json", "--profile", bob]);
        JsonNode sent = await RunAsync(["send", "bob", "hello from a script", "--json", "--profile", alice]);
        JsonNode sentPrivately = await RunAsync(["send", "bob", "and a secret", "--private", "--json", "--profile", alice]);

        JsonNode inbox = await RunAsync(["inbox", "--json", "--profile", bob]);
        JsonArray messages = inbox["messages"]!.AsArray();
        Assert.Equal(["hello from a script", "and a secret"], messages.Select(m => (string)m!["text"]!));
        Assert.Equal([(string?)sent["id"], (string?)sentPrivately["id"]], messages.Select(m => (string?)m!["id"]));
        Assert.Equal([false, true], messages.Select(m => (bool)m!["private"]!));
        Assert.Empty((await RunAsync(["inbox", "--json", "--profile", bob]))["messages"]!.AsArray()); // seen once
        Assert.Equal(2, (await RunAsync(["inbox", "--all", "--json", "--profile", bob]))["messages"]!.AsArray().Count);

        JsonNode refused = await RunAsync(["send", "carol", "x", "--json", "--profile", alice], expectedExit: 1);
        Assert.False((bool)refused["ok"]!);
        Assert.Contains("NotFound", (string?)refused["error"], StringComparison.Ordinal);
        JsonNode nowhere = await RunAsync(["contacts", "list", "--json", "--profile", fixture.NewProfileDirectory()], expectedExit: 1);
        Assert.Contains("--server", (string?)nowhere["error"], StringComparison.Ordinal);
    }

    private static async Task<JsonNode> RunAsync(string[] arguments, string? stdin = null, int expectedExit = 0)
    {
        ProcessStartInfo start = ServerProcess.CliStartInfo(arguments);
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteLineAsync(stdin);
        }
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"securecomms {string.Join(' ', arguments)} did not exit within 120 s\n{await stdout}\n{await stderr}");
        }
        string output = await stdout;
        Assert.True(process.ExitCode == expectedExit, $"securecomms {string.Join(' ', arguments)}: exit {process.ExitCode}\n{output}\n{await stderr}");
        Assert.DoesNotContain(EngineFixture.Password, output, StringComparison.Ordinal);
        return JsonNode.Parse(output)!;
    }
}
