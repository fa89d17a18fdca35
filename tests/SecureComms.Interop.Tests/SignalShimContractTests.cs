using System.Text.Json.Nodes;
using SecureComms.Interop.Signal;

namespace SecureComms.Interop.Tests;

/// <summary>docs/shim.md, held against our shim: every line one reply, typed errors, ids echoed, nothing crashes it.</summary>
public sealed class SignalShimContractTests : IDisposable
{
    private readonly SignalShim _shim = new();

    public void Dispose() => _shim.Dispose();

    [Theory]
    [InlineData("", "MalformedRequest")]
    [InlineData("not json", "MalformedRequest")]
    [InlineData("[1,2]", "MalformedRequest")]
    [InlineData("\"init\"", "MalformedRequest")]
    [InlineData("{}", "MalformedRequest")]
    [InlineData("{\"op\":7}", "MalformedRequest")]
    [InlineData("{\"op\":\"launch\"}", "UnknownOp")]
    [InlineData("{\"op\":\"sign\",\"message\":\"aGk=\"}", "MalformedRequest")] // before init
    [InlineData("{\"op\":\"init\",\"name\":\"a\",\"registrationId\":-1,\"deviceId\":1}", "MalformedRequest")]
    [InlineData("{\"op\":\"init\",\"name\":\"a\",\"registrationId\":4294967296,\"deviceId\":1}", "MalformedRequest")]
    [InlineData("{\"op\":\"init\",\"name\":\"a\",\"registrationId\":1.5,\"deviceId\":1}", "MalformedRequest")]
    [InlineData("{\"op\":\"verify\",\"publicKey\":\"!!\",\"message\":\"\",\"signature\":\"\"}", "MalformedRequest")]
    [InlineData("{\"op\":\"verify\",\"publicKey\":\"AAAA\",\"message\":\"\",\"signature\":\"\"}", "InvalidKey")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", "MalformedRequest")]
    public void Refuses_with_a_reason(string line, string reason)
    {
        JsonObject reply = Reply(line);
        Assert.False(reply["ok"]!.GetValue<bool>());
        Assert.Equal(reason, reply["error"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(reply["message"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("7", "7")]
    [InlineData("\"x\"", "\"x\"")]
    [InlineData("{\"n\":[1]}", "{\"n\":[1]}")]
    public void Echoes_the_id_on_success_and_failure(string id, string expected)
    {
        Assert.Equal(expected, Reply($"{{\"id\":{id},\"op\":\"init\",\"name\":\"a\",\"registrationId\":1,\"deviceId\":1}}")["id"]!.ToJsonString());
        Assert.Equal(expected, Reply($"{{\"id\":{id},\"op\":\"nope\"}}")["id"]!.ToJsonString());
    }

    [Fact]
    public void Bundle_reuses_the_signed_prekey_and_adds_one_time_prekeys()
    {
        Init();
        JsonObject first = Ok("{\"op\":\"bundle\",\"preKeyId\":1,\"signedPreKeyId\":9,\"oneTimePreKey\":true}")["bundle"]!.AsObject();
        JsonObject second = Ok("{\"op\":\"bundle\",\"preKeyId\":2,\"signedPreKeyId\":9,\"oneTimePreKey\":true}")["bundle"]!.AsObject();
        JsonObject without = Ok("{\"op\":\"bundle\",\"signedPreKeyId\":9,\"oneTimePreKey\":false}")["bundle"]!.AsObject();
        Assert.Equal(first["signedPreKey"]!.GetValue<string>(), second["signedPreKey"]!.GetValue<string>());
        Assert.NotEqual(first["preKey"]!.GetValue<string>(), second["preKey"]!.GetValue<string>());
        Assert.Equal(2u, second["preKeyId"]!.GetValue<uint>());
        Assert.Null(without["preKey"]);
        Assert.Null(without["preKeyId"]);
    }

    [Fact]
    public void Two_shims_talk_and_refuse_a_replay()
    {
        using var bobShim = new SignalShim();
        Init();
        Ok(bobShim, "{\"op\":\"init\",\"name\":\"bob\",\"registrationId\":2,\"deviceId\":1}");
        JsonObject bundle = Ok(bobShim, "{\"op\":\"bundle\",\"preKeyId\":1,\"signedPreKeyId\":1,\"oneTimePreKey\":true}")["bundle"]!.AsObject();
        Ok($"{{\"op\":\"process_bundle\",\"peer\":\"bob\",\"deviceId\":1,\"bundle\":{bundle.ToJsonString()}}}");
        JsonObject sent = Ok("{\"op\":\"encrypt\",\"peer\":\"bob\",\"deviceId\":1,\"plaintext\":\"aGVsbG8=\"}");
        Assert.Equal(3, sent["type"]!.GetValue<int>());
        string decrypt = $"{{\"op\":\"decrypt\",\"peer\":\"alice\",\"deviceId\":1,\"type\":3,\"body\":\"{sent["body"]}\"}}";
        Assert.Equal("aGVsbG8=", Ok(bobShim, decrypt)["plaintext"]!.GetValue<string>());
        JsonObject replay = JsonNode.Parse(bobShim.Handle(decrypt))!.AsObject();
        Assert.Equal("DuplicateMessage", replay["error"]!.GetValue<string>());
    }

    [Fact]
    public void Run_answers_every_line_including_one_over_the_limit()
    {
        string input = string.Join('\n', "{\"op\":\"nope\"}", new string('x', SignalShim.MaxLineLength + 10), "{\"id\":3,\"op\":\"verify\",\"publicKey\":\"AAAA\",\"message\":\"\",\"signature\":\"\"}") + "\n";
        using var output = new StringWriter();
        _shim.Run(new StringReader(input), output);
        string[] replies = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, replies.Length);
        Assert.Contains("UnknownOp", replies[0], StringComparison.Ordinal);
        Assert.Contains("longer than", replies[1], StringComparison.Ordinal);
        Assert.Contains("\"id\":3", replies[2], StringComparison.Ordinal);
    }

    private void Init() => Ok("{\"op\":\"init\",\"name\":\"alice\",\"registrationId\":1,\"deviceId\":1}");

    private JsonObject Reply(string line) => JsonNode.Parse(_shim.Handle(line))!.AsObject();

    private JsonObject Ok(string line) => Ok(_shim, line);

    private static JsonObject Ok(SignalShim shim, string line)
    {
        JsonObject reply = JsonNode.Parse(shim.Handle(line))!.AsObject();
        Assert.True(reply["ok"]!.GetValue<bool>(), reply.ToJsonString());
        return reply;
    }
}
