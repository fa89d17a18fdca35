using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecureComms.Channel.Noise;
using SecureComms.Crypto;

namespace SecureComms.Vectors.Suites;

/// <summary>
/// The Noise Protocol Framework's published vectors (<c>noise/cacophony.txt</c>, <c>noise/snow.txt</c>; sources
/// <c>noise/cacophony</c> and <c>noise/snow</c>), run through <see cref="HandshakeState"/> in both roles.
/// </summary>
/// <remarks>
/// <para>A case is one vector, its id the vector's <c>protocol_name</c>. Only <c>…_25519_AESGCM_SHA256</c> vectors
/// run (59 in cacophony, 51 in snow); the others are skipped with <see cref="OtherSuiteReason"/>.</para>
/// <para>Per vector: both parties are initialised from <c>init_*</c> / <c>resp_*</c> (prologue, static key, the
/// remote static key of a pre-message, PSKs in order, and the fixed ephemeral key, injected through the internal
/// test hook). Each handshake message is written by its sender, compared byte for byte with the published
/// ciphertext, and the published ciphertext is read by the other party, whose payload must be the published one.
/// After the last handshake message both handshake hashes must agree, and equal <c>handshake_hash</c> when the
/// vector gives it (cacophony). The remaining messages are transport messages through Split's CipherStates,
/// checked the same way: they alternate initiator, responder by their index in the list (as cacophony and snow
/// generate them), except in one-way patterns, where the initiator sends them all.</para>
/// <para>The loader turns each <c>vectors[]</c> object into a case with its <c>messages</c> flattened into two
/// string arrays, <c>payloads</c> and <c>ciphertexts</c>; the embedded files themselves are the upstream bytes.</para>
/// </remarks>
public sealed class NoiseSuite : VectorSuite
{
    /// <summary>Skip reason of the vectors for other DH, cipher or hash functions.</summary>
    public const string OtherSuiteReason = "not our suite: SecureComms speaks Noise with " + NoiseProtocolName.Suite + " only";

    private static readonly ConcurrentDictionary<string, VectorFile> Files = new(StringComparer.Ordinal);

    /// <summary>The suite over <c>noise/<paramref name="file"/>.txt</c>: <c>cacophony</c> or <c>snow</c>.</summary>
    public NoiseSuite(string file)
        : base($"noise/{file}", () => Files.GetOrAdd($"noise/{file}.txt", Load))
    {
    }

    /// <inheritdoc/>
    protected override Verdict Check(VectorCase testCase)
    {
        string name = testCase.Text("protocol_name");
        if (!name.EndsWith("_" + NoiseProtocolName.Suite, StringComparison.Ordinal))
        {
            return Verdict.Skip(OtherSuiteReason);
        }
        if (!NoiseProtocolName.TryParse(name, out var protocol, out var error))
        {
            return Verdict.Fail($"protocol name refused: {error}");
        }
        var owned = new List<IDisposable>();
        try
        {
            var initiator = Party(testCase, "init_", protocol!, initiator: true, owned);
            var responder = Party(testCase, "resp_", protocol!, initiator: false, owned);
            return Play(testCase, protocol!, initiator, responder, owned);
        }
        catch (NoiseException e)
        {
            return Verdict.Fail($"refused: {e.Reason} ({e.Message})");
        }
        finally
        {
            owned.ForEach(d => d.Dispose());
        }
    }

    private static Verdict Play(VectorCase testCase, NoiseProtocolName protocol, HandshakeState initiator, HandshakeState responder, List<IDisposable> owned)
    {
        var payloads = testCase.Strings("payloads");
        var ciphertexts = testCase.Strings("ciphertexts");
        var pattern = protocol.Pattern;
        TransportState? initiatorTransport = null, responderTransport = null;
        for (int i = 0; i < payloads.Count; i++)
        {
            byte[] payload = Hex(testCase, payloads[i]), expected = Hex(testCase, ciphertexts[i]);
            if (i < pattern.Messages.Count)
            {
                bool fromInitiator = pattern.Messages[i].FromInitiator;
                var (writer, reader) = fromInitiator ? (initiator, responder) : (responder, initiator);
                if (!writer.WriteMessage(payload).AsSpan().SequenceEqual(expected))
                {
                    return Verdict.Fail($"handshake message {i}: ciphertext differs");
                }
                if (!reader.ReadMessage(expected).AsSpan().SequenceEqual(payload))
                {
                    return Verdict.Fail($"handshake message {i}: payload read differs");
                }
                continue;
            }
            if (initiatorTransport is null || responderTransport is null)
            {
                initiatorTransport = initiator.TakeTransport();
                responderTransport = responder.TakeTransport();
                owned.Add(initiatorTransport);
                owned.Add(responderTransport);
                if (HashMismatch(testCase, initiatorTransport, responderTransport) is string why)
                {
                    return Verdict.Fail(why);
                }
            }
            bool initiatorSends = pattern.IsOneWay || i % 2 == 0;
            var (sender, receiver) = initiatorSends ? (initiatorTransport, responderTransport) : (responderTransport, initiatorTransport);
            byte[] ciphertext = new byte[payload.Length + NoiseLimits.TagLength], plaintext = new byte[payload.Length];
            if (sender.WriteMessage(payload, ciphertext) != expected.Length || !ciphertext.AsSpan().SequenceEqual(expected))
            {
                return Verdict.Fail($"transport message {i}: ciphertext differs");
            }
            if (receiver.ReadMessage(expected, plaintext) != payload.Length || !plaintext.AsSpan().SequenceEqual(payload))
            {
                return Verdict.Fail($"transport message {i}: payload read differs");
            }
        }
        if (!initiator.IsComplete || !responder.IsComplete)
        {
            return Verdict.Fail("the vector ends before the handshake does");
        }
        if (initiatorTransport is null)
        {
            using var a = initiator.TakeTransport();
            using var b = responder.TakeTransport();
            if (HashMismatch(testCase, a, b) is string why)
            {
                return Verdict.Fail(why);
            }
        }
        return Verdict.Pass($"{pattern.Messages.Count} handshake + {payloads.Count - pattern.Messages.Count} transport messages, both roles"
            + (testCase.Has("handshake_hash") ? ", handshake hash" : ""));
    }

    private static string? HashMismatch(VectorCase testCase, TransportState initiator, TransportState responder)
    {
        if (!initiator.HandshakeHash.SequenceEqual(responder.HandshakeHash))
        {
            return "the parties' handshake hashes differ";
        }
        if (testCase.Has("handshake_hash") && !initiator.HandshakeHash.SequenceEqual(testCase.Bytes("handshake_hash")))
        {
            return "handshake hash differs from the vector's";
        }
        return null;
    }

    private static HandshakeState Party(VectorCase testCase, string prefix, NoiseProtocolName protocol, bool initiator, List<IDisposable> owned)
    {
        X25519PrivateKey? localStatic = null;
        if (testCase.Has(prefix + "static"))
        {
            localStatic = X25519PrivateKey.Import(testCase.Bytes(prefix + "static"));
            owned.Add(localStatic);
        }
        X25519PublicKey? remoteStatic = testCase.Has(prefix + "remote_static")
            ? X25519PublicKey.Decode(testCase.Bytes(prefix + "remote_static"))
            : null;
        var psks = new List<PresharedKey>();
        foreach (string psk in testCase.Strings(prefix + "psks"))
        {
            var key = PresharedKey.Import(Hex(testCase, psk));
            owned.Add(key);
            psks.Add(key);
        }
        var state = new HandshakeState(protocol, initiator, testCase.Bytes(prefix + "prologue"), localStatic, remoteStatic, psks);
        owned.Add(state);
        if (testCase.Has(prefix + "ephemeral"))
        {
            state.InjectEphemeral(X25519PrivateKey.Import(testCase.Bytes(prefix + "ephemeral")));
        }
        return state;
    }

    private static byte[] Hex(VectorCase testCase, string text) =>
        Vectors.Hex.TryDecode(text, out var bytes) ? bytes : throw new VectorFormatException($"case {testCase.Id}: '{text}' is not hex");

    /// <summary>Reads <c>{"vectors": [...]}</c>: one case per vector, id = protocol_name, messages flattened.</summary>
    private static VectorFile Load(string name)
    {
        using var stream = typeof(NoiseSuite).Assembly.GetManifestResourceStream(name)
            ?? throw new VectorFormatException($"no embedded vector file '{name}'");
        var root = JsonNode.Parse(stream) as JsonObject;
        if (root?["vectors"] is not JsonArray vectors)
        {
            throw new VectorFormatException($"{name}: no 'vectors' array");
        }
        var cases = new List<(string, JsonElement)>();
        foreach (var node in vectors)
        {
            if (node is not JsonObject vector || vector["protocol_name"]?.GetValue<string>() is not string id
                || vector["messages"] is not JsonArray messages)
            {
                throw new VectorFormatException($"{name}: a vector lacks protocol_name or messages");
            }
            var flat = JsonNode.Parse(vector.ToJsonString())!.AsObject();
            flat.Remove("messages");
            flat["payloads"] = new JsonArray([.. messages.Select(m => JsonValue.Create(m?["payload"]?.GetValue<string>()))]);
            flat["ciphertexts"] = new JsonArray([.. messages.Select(m => JsonValue.Create(m?["ciphertext"]?.GetValue<string>()))]);
            cases.Add((id, JsonSerializer.SerializeToElement(flat)));
        }
        return VectorFile.FromCases(name, cases);
    }
}
