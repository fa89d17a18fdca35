using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using SecureComms.Interop.Signal;
using SecureComms.Signal;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// Fuzz target <c>shim-line</c>: <see cref="SignalShim.Handle"/>, the Signal shim's request handler
/// (<c>docs/shim.md</c>), on the lines of the input (UTF-8, split on <c>'\n'</c>, at most
/// <see cref="MaxLines"/>), after a fixed <c>init</c>, so that sequences of operations (a bundle processed,
/// then an encryption) are reached. An input whose first byte is <see cref="RawUtf16Marker"/> is read as
/// raw UTF-16LE instead, so that the string <see cref="SignalShim.Handle"/> takes may hold lone surrogates.
/// </summary>
/// <remarks>
/// <para>A fresh shim per input keeps runs independent (its identity key comes from the OS RNG, so no
/// oracle depends on key bytes).</para>
/// <para><b>Oracles</b>, on every reply: <see cref="SignalShim.Handle"/> returns, never throws; the reply is
/// one line holding one JSON object with a boolean <c>ok</c>; a failure has a string <c>error</c> among
/// the documented reasons and a string <c>message</c>; a reply echoes <c>id</c> only from a request that
/// has it, unchanged; a success answers a known op and has that op's documented reply fields.</para>
/// </remarks>
public static class ShimLineTarget
{
    /// <summary>The target's name on the command line and in <c>fuzz/corpus/</c>.</summary>
    public const string Name = "shim-line";

    /// <summary>A first byte (never in UTF-8) that makes the rest raw UTF-16LE code units, lone surrogates included.</summary>
    public const byte RawUtf16Marker = 0xFE;

    /// <summary>Lines handled per input.</summary>
    public const int MaxLines = 8;

    /// <summary>The line every input starts after.</summary>
    public const string InitLine = """{"op":"init","name":"fuzz","registrationId":7,"deviceId":1}""";

    /// <summary>The reasons of docs/shim.md: the protocol's refusals and the line's own.</summary>
    private static readonly HashSet<string> Reasons = [.. Enum.GetNames<SignalError>(), "MalformedRequest", "UnknownOp"];

    /// <summary>Each op's reply fields on success (docs/shim.md, "Operations").</summary>
    private static readonly Dictionary<string, string[]> ReplyFields = new(StringComparer.Ordinal)
    {
        ["init"] = ["identityKey"],
        ["bundle"] = ["bundle"],
        ["process_bundle"] = [],
        ["encrypt"] = ["type", "body"],
        ["decrypt"] = ["plaintext"],
        ["trust"] = [],
        ["has_session"] = ["exists"],
        ["fingerprint"] = ["displayable", "scannable"],
        ["sign"] = ["signature"],
        ["verify"] = ["valid"],
    };

    /// <summary>Runs one input.</summary>
    public static void Target(ReadOnlySpan<byte> data)
    {
        using var shim = new SignalShim();
        using (JsonDocument init = Check(InitLine, shim.Handle(InitLine)))
        {
            FuzzFindingException.Require(init.RootElement.GetProperty("ok").GetBoolean(), "the fixed init succeeds");
        }
        string text = data.Length > 0 && data[0] == RawUtf16Marker
            ? new string(MemoryMarshal.Cast<byte, char>(data[1..][..((data.Length - 1) & ~1)]))
            : Encoding.UTF8.GetString(data);
        int start = 0;
        for (int line = 0; line < MaxLines && start <= text.Length; line++)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0)
            {
                end = text.Length;
            }
            string request = text[start..end];
            Check(request, shim.Handle(request)).Dispose();
            start = end + 1;
        }
    }

    /// <summary>The oracles on one reply; the parsed reply.</summary>
    private static JsonDocument Check(string request, string reply)
    {
        FuzzFindingException.Require(reply is not null, "a reply");
        FuzzFindingException.Require(!reply!.Contains('\n') && !reply.Contains('\r'), "a reply is one line");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(reply);
        }
        catch (JsonException e)
        {
            throw new FuzzFindingException($"Property violated: a reply is JSON ({e.Message}): {reply}");
        }
        JsonElement root = document.RootElement;
        FuzzFindingException.Require(root.ValueKind == JsonValueKind.Object, "a reply is a JSON object");
        FuzzFindingException.Require(root.TryGetProperty("ok", out JsonElement ok) && ok.ValueKind is JsonValueKind.True or JsonValueKind.False, "a reply has a boolean 'ok'");
        JsonElement? requestRoot = ParseRequest(request);
        if (root.TryGetProperty("id", out JsonElement id))
        {
            FuzzFindingException.Require(
                requestRoot is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty("id", out JsonElement requestId) && JsonElement.DeepEquals(id, requestId),
                "a reply's 'id' is the request's, unchanged");
        }
        if (ok.ValueKind == JsonValueKind.False)
        {
            FuzzFindingException.Require(
                root.TryGetProperty("error", out JsonElement error) && error.ValueKind == JsonValueKind.String && Reasons.Contains(error.GetString()!),
                "a failure has a string 'error' among the documented reasons");
            FuzzFindingException.Require(root.TryGetProperty("message", out JsonElement message) && message.ValueKind == JsonValueKind.String, "a failure has a string 'message'");
            return document;
        }
        FuzzFindingException.Require(requestRoot is { ValueKind: JsonValueKind.Object }, "only a JSON object request succeeds");
        JsonElement requested = requestRoot!.Value;
        FuzzFindingException.Require(requested.TryGetProperty("id", out _) == root.TryGetProperty("id", out _), "a success echoes the request's 'id'");
        FuzzFindingException.Require(
            requested.TryGetProperty("op", out JsonElement op) && op.ValueKind == JsonValueKind.String && ReplyFields.ContainsKey(op.GetString()!),
            "only a known op succeeds");
        foreach (string field in ReplyFields[op.GetString()!])
        {
            FuzzFindingException.Require(root.TryGetProperty(field, out _), $"a successful '{op.GetString()}' reply has '{field}'");
        }
        return document;
    }

    /// <summary>The request as a JSON element, or null when it is not JSON or not valid UTF-16 (a copy: the
    /// document is released).</summary>
    private static JsonElement? ParseRequest(string request)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(request);
            return document.RootElement.Clone();
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            // ArgumentException: a lone surrogate in the line, which cannot be transcoded.
            return null;
        }
    }
}
