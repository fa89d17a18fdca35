using System.Text.Json.Nodes;

namespace SecureComms.Cloud.Tests.Client;

/// <summary>
/// <c>securecomms client … jsonrpc</c> as a real process against the real service: two users driven entirely through
/// JSON-RPC (register, login, contacts, presence, send, private.send and their notifications), the JSON-RPC errors for
/// bad requests, idempotent sends, and a session resumed by a new process.
/// </summary>
public sealed class JsonRpcTests
{
    private const string Password = EngineFixture.Password;

    [Fact]
    public async Task Two_users_driven_through_json_rpc_register_befriend_see_presence_and_exchange_cloud_and_private_messages()
    {
        await using var fixture = new EngineFixture();
        await using JsonRpcProcess alice = JsonRpcProcess.Start(fixture.NewProfileDirectory(), fixture.Port, fixture.CaPath);
        await using JsonRpcProcess bob = JsonRpcProcess.Start(fixture.NewProfileDirectory(), fixture.Port, fixture.CaPath);
        foreach ((JsonRpcProcess client, string name) in new[] { (alice, "alice"), (bob, "bob") })
        {
            Assert.Equal(name, (string?)(await client.ResultAsync("register", new { username = name, password = Password }))["username"]);
            Assert.Equal(name, (string?)(await client.ResultAsync("login", new { username = name, password = Password }))["username"]);
        }

        JsonNode added = await alice.ResultAsync("contacts.add", new { username = "bob" });
        Assert.Equal("request_sent", (string?)added["contacts"]![0]!["status"]);
        Assert.Equal("alice", (string?)(await bob.NotificationAsync("contactRequest"))["from"]);
        JsonNode accepted = await bob.ResultAsync("contacts.accept", new { username = "alice" });
        Assert.Equal("accepted", (string?)accepted["contacts"]![0]!["status"]);
        await bob.ResultAsync("presence.set", new { status = "away" });
        await alice.NotificationAsync("presence", p => (string?)p["user"] == "bob" && (string?)p["status"] == "away");

        JsonNode sent = await alice.ResultAsync("send", new { to = "bob", text = "hello over json-rpc ✓" });
        JsonObject message = await bob.NotificationAsync("message", m => (string?)m["id"] == (string?)sent["id"]);
        Assert.Equal(("alice", "hello over json-rpc ✓", false), ((string?)message["from"], (string?)message["text"], (bool)message["private"]!));
        Assert.Equal((long)sent["sequence"]!, (long)message["sequence"]!);

        JsonNode privately = await bob.ResultAsync("private.send", new { to = "alice", text = "a secret" });
        JsonObject secret = await alice.NotificationAsync("message", m => (string?)m["id"] == (string?)privately["id"]);
        Assert.Equal(("bob", "a secret", true), ((string?)secret["from"], (string?)secret["text"], (bool)secret["private"]!));

        JsonNode contacts = await alice.ResultAsync("contacts.list");
        Assert.Equal(("bob", "accepted"), ((string?)contacts["contacts"]![0]!["username"], (string?)contacts["contacts"]![0]!["status"]));
        Assert.Equal(0, await alice.CloseAsync());
    }

    [Fact]
    public async Task Bad_requests_get_the_json_rpc_errors_and_the_session_goes_on()
    {
        await using var fixture = new EngineFixture();
        await using JsonRpcProcess client = JsonRpcProcess.Start(fixture.NewProfileDirectory(), fixture.Port, fixture.CaPath);

        Assert.Equal(-32020, ErrorCode(await client.CallAsync("contacts.list"))); // not signed in
        await client.WriteLineAsync("this is not json");
        Assert.Equal(-32700, ErrorCode(await client.NextAnswerAsync()));
        await client.WriteLineAsync("""{"id":7,"method":"send"}""");
        Assert.Equal(-32600, ErrorCode(await client.NextAnswerAsync()));
        await client.WriteLineAsync("""{"jsonrpc":"2.0","id":{"no":1},"method":"send"}""");
        Assert.Equal(-32600, ErrorCode(await client.NextAnswerAsync()));
        await client.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"register\",\"params\":{\"username\":\"" + new string('x', 1_100_000) + "\"}}");
        Assert.Equal(-32600, ErrorCode(await client.NextAnswerAsync()));
        Assert.Equal(-32601, ErrorCode(await client.CallAsync("no.such.method")));
        Assert.Equal(-32602, ErrorCode(await client.CallAsync("register", new { username = "alice" })));
        Assert.Equal(-32602, ErrorCode(await client.CallAsync("register", new { username = "alice", password = Password, extra = 1 })));
        Assert.Equal(-32602, ErrorCode(await client.CallAsync("register", new { username = 5, password = Password })));
        await client.WriteLineAsync("""{"jsonrpc":"2.0","id":9,"method":"register","params":["alice","pw"]}""");
        Assert.Equal(-32602, ErrorCode(await client.NextAnswerAsync()));

        await client.ResultAsync("register", new { username = "alice", password = Password });
        JsonObject taken = await client.CallAsync("register", new { username = "alice", password = Password });
        Assert.Equal((-32005, "CODE_CONFLICT"), (ErrorCode(taken), (string?)taken["error"]!["data"]!["code"]));
        JsonObject wrong = await client.CallAsync("login", new { username = "alice", password = "not the password at all" });
        Assert.Equal(-32002, ErrorCode(wrong));
        Assert.DoesNotContain("not the password at all", wrong.ToJsonString(), StringComparison.Ordinal);
        await client.ResultAsync("login", new { username = "alice", password = Password });
        JsonObject forbidden = await client.CallAsync("send", new { to = "alice", text = "to myself, not a contact" });
        Assert.Equal((-32003, "CODE_FORBIDDEN"), (ErrorCode(forbidden), (string?)forbidden["error"]!["data"]!["code"]));

        // A notification (no id) is never answered: the next line answers the call after it.
        await client.WriteLineAsync("""{"jsonrpc":"2.0","method":"contacts.list"}""");
        JsonObject list = await client.CallAsync("contacts.list");
        Assert.True(list.ContainsKey("result"));
        Assert.Equal(0, client.PendingAnswers);
        Assert.Equal(0, await client.CloseAsync());
    }

    [Fact]
    public async Task A_send_with_an_id_is_idempotent_and_a_new_process_resumes_the_session_and_gets_the_backlog()
    {
        await using var fixture = new EngineFixture();
        string bobProfile = fixture.NewProfileDirectory();
        await using JsonRpcProcess alice = JsonRpcProcess.Start(fixture.NewProfileDirectory(), fixture.Port, fixture.CaPath);
        JsonRpcProcess bob = JsonRpcProcess.Start(bobProfile, fixture.Port, fixture.CaPath);
        foreach ((JsonRpcProcess client, string name) in new[] { (alice, "alice"), (bob, "bob") })
        {
            await client.ResultAsync("register", new { username = name, password = Password });
            await client.ResultAsync("login", new { username = name, password = Password });
        }
        await alice.ResultAsync("contacts.add", new { username = "bob" });
        await bob.ResultAsync("contacts.accept", new { username = "alice" });
        Assert.Equal(0, await bob.CloseAsync());
        await bob.DisposeAsync();

        string id = Guid.NewGuid().ToString();
        JsonNode first = await alice.ResultAsync("send", new { to = "bob", text = "only once", id });
        JsonNode again = await alice.ResultAsync("send", new { to = "bob", text = "only once", id });
        Assert.Equal(((string?)first["id"], (long)first["sequence"]!), (id, (long)again["sequence"]!));
        Assert.Equal(-32005, ErrorCode(await alice.CallAsync("send", new { to = "bob", text = "another text", id })));
        await alice.ResultAsync("send", new { to = "bob", text = "second" });

        await using JsonRpcProcess resumed = JsonRpcProcess.Start(bobProfile, fixture.Port, fixture.CaPath);
        await resumed.ResultAsync("sync");
        JsonNode inbox = await resumed.ResultAsync("messages.list", new { unseen = true });
        string[] texts = [.. inbox["messages"]!.AsArray().Select(m => (string)m!["text"]!)];
        Assert.Equal(["only once", "second"], texts);
        Assert.Empty((await resumed.ResultAsync("messages.list", new { unseen = true }))["messages"]!.AsArray());
        Assert.Equal(0, await fixture.StoredForAsync("bob"));
    }

    private static int ErrorCode(JsonNode answer) => (int)answer["error"]!["code"]!;
}
