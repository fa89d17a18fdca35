using System.Text;
using System.Text.Json;
using SecureComms.Crypto;
using SecureComms.Signal;
using SecureComms.Signal.Fingerprints;
using SecureComms.Signal.Sessions;
using SecureComms.Signal.Stores;
using SecureComms.Signal.Wire;
using SecureComms.Signal.X3dh;

namespace SecureComms.Interop.Signal;

/// <summary>
/// Our side of the Signal shim protocol (<c>docs/shim.md</c>): one party, driven one JSON line at a time.
/// Every line gets exactly one reply line; nothing a line contains can stop the shim.
/// </summary>
public sealed class SignalShim : IDisposable
{
    /// <summary>Longest request line accepted, in characters (longer lines are refused unread).</summary>
    public const int MaxLineLength = 4 * 1024 * 1024;

    /// <summary>Safety-number version used by <c>fingerprint</c> (the scannable form's version).</summary>
    public const int FingerprintVersion = 2;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 16 };

    private readonly TimeProvider _time;
    private InMemorySignalProtocolStore? _store;
    private SessionCipher? _cipher;
    private uint _deviceId;

    /// <summary>A shim with no party yet (the first op is <c>init</c>).</summary>
    public SignalShim(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>Answers lines from <paramref name="input"/> on <paramref name="output"/> until end of input.</summary>
    public void Run(TextReader input, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var line = new StringBuilder();
        while (ReadLine(input, line, out bool tooLong))
        {
            output.WriteLine(tooLong ? Failure(null, "MalformedRequest", $"Line longer than {MaxLineLength} characters.") : Handle(line.ToString()));
            output.Flush();
        }
    }

    /// <summary>The reply to one request line (total: any input yields one JSON reply).</summary>
    public string Handle(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, ParseOptions);
        }
        catch (JsonException e)
        {
            return Failure(null, "MalformedRequest", $"Not JSON: {e.Message}");
        }
        catch (ArgumentException)
        {
            // A lone surrogate in the line itself: it cannot be transcoded to UTF-8.
            return Failure(null, "MalformedRequest", "The line is not valid UTF-16 text.");
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Failure(null, "MalformedRequest", "A request is a JSON object.");
            }
            if (!IsValidUnicode(root))
            {
                return Failure(null, "MalformedRequest", "A string or property name is not valid Unicode.");
            }
            JsonElement? id = root.TryGetProperty("id", out JsonElement value) ? value : null;
            try
            {
                var request = new ShimRequest(root);
                return Success(id, Dispatch(request.String("op"), request));
            }
            catch (MalformedRequestException e)
            {
                return Failure(id, "MalformedRequest", e.Message);
            }
            catch (UnknownOpException e)
            {
                return Failure(id, "UnknownOp", e.Message);
            }
            catch (SignalProtocolException e)
            {
                return Failure(id, e.Reason.ToString(), e.Message);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _store?.Dispose();

    private Dictionary<string, object> Dispatch(string op, ShimRequest request) => op switch
    {
        "init" => Init(request),
        "bundle" => Bundle(request),
        "process_bundle" => ProcessBundle(request),
        "encrypt" => Encrypt(request),
        "decrypt" => Decrypt(request),
        "trust" => Trust(request),
        "has_session" => new() { ["exists"] = Cipher.HasUsableSession(Peer(request)) },
        "fingerprint" => SafetyNumber(request),
        "sign" => new() { ["signature"] = Store.GetIdentityKeyPair().Sign(request.Base64("message")) },
        "verify" => new() { ["valid"] = Verify(request) },
        _ => throw new UnknownOpException($"Unknown op '{op}'."),
    };

    private InMemorySignalProtocolStore Store => _store ?? throw new MalformedRequestException("No party yet: send 'init' first.");

    private SessionCipher Cipher => _cipher ?? throw new MalformedRequestException("No party yet: send 'init' first.");

    private Dictionary<string, object> Init(ShimRequest request)
    {
        request.String("name");
        uint registrationId = request.UInt32("registrationId");
        _deviceId = request.UInt32("deviceId");
        _store?.Dispose();
        _store = new InMemorySignalProtocolStore(IdentityKeyPair.Generate(), registrationId);
        _cipher = new SessionCipher(_store, _time);
        return new() { ["identityKey"] = _store.GetIdentityKeyPair().PublicKey.Serialize() };
    }

    private Dictionary<string, object> Bundle(ShimRequest request)
    {
        uint signedPreKeyId = request.UInt32("signedPreKeyId");
        uint? preKeyId = request.Boolean("oneTimePreKey") ? request.UInt32("preKeyId") : null;
        PreKeyBundle published = Store.PublishBundle(_deviceId, signedPreKeyId, preKeyId, _time.GetUtcNow());
        var bundle = new Dictionary<string, object>
        {
            ["registrationId"] = published.RegistrationId,
            ["deviceId"] = published.DeviceId,
            ["identityKey"] = published.IdentityKey.Serialize(),
            ["signedPreKeyId"] = published.SignedPreKeyId,
            ["signedPreKey"] = new IdentityKey(published.SignedPreKey).Serialize(),
            ["signedPreKeySignature"] = published.SignedPreKeySignature,
        };
        if (published is { PreKeyId: uint id, PreKey: { } preKey })
        {
            bundle["preKeyId"] = id;
            bundle["preKey"] = new IdentityKey(preKey).Serialize();
        }
        return new() { ["bundle"] = bundle };
    }

    private Dictionary<string, object> ProcessBundle(ShimRequest request)
    {
        ShimRequest b = request.Object("bundle");
        uint? preKeyId = b.OptionalUInt32("preKeyId");
        X25519PublicKey? preKey = b.Has("preKey") ? b.PublicKey("preKey").PublicKey : null;
        if ((preKeyId is null) != (preKey is null))
        {
            throw new MalformedRequestException("'preKeyId' and 'preKey' come together.");
        }
        var bundle = new PreKeyBundle(
            b.UInt32("registrationId"),
            b.UInt32("deviceId"),
            preKeyId,
            preKey,
            b.UInt32("signedPreKeyId"),
            b.PublicKey("signedPreKey").PublicKey,
            b.Base64("signedPreKeySignature"),
            b.PublicKey("identityKey"));
        Cipher.ProcessPreKeyBundle(Peer(request), bundle);
        return [];
    }

    private Dictionary<string, object> Encrypt(ShimRequest request)
    {
        CiphertextMessage message = Cipher.Encrypt(Peer(request), request.Base64("plaintext"));
        return new() { ["type"] = (int)message.Type, ["body"] = message.Serialized };
    }

    private Dictionary<string, object> Decrypt(ShimRequest request)
    {
        uint type = request.UInt32("type");
        if (type is not ((uint)CiphertextMessageType.Whisper or (uint)CiphertextMessageType.PreKey))
        {
            throw new MalformedRequestException($"'type' must be {(int)CiphertextMessageType.Whisper} or {(int)CiphertextMessageType.PreKey}.");
        }
        return new() { ["plaintext"] = Cipher.Decrypt(Peer(request), (CiphertextMessageType)type, request.Base64("body")) };
    }

    private Dictionary<string, object> Trust(ShimRequest request)
    {
        Store.SaveIdentity(Peer(request), request.PublicKey("identityKey"));
        return [];
    }

    private Dictionary<string, object> SafetyNumber(ShimRequest request)
    {
        byte[] local = Encoding.UTF8.GetBytes(request.String("localName")), remote = Encoding.UTF8.GetBytes(request.String("remoteName"));
        if (local.Length > Fingerprint.MaxStableIdSizeInBytes || remote.Length > Fingerprint.MaxStableIdSizeInBytes)
        {
            throw new MalformedRequestException($"Names are at most {Fingerprint.MaxStableIdSizeInBytes} bytes.");
        }
        var fingerprint = new Fingerprint(
            FingerprintVersion,
            Fingerprint.DefaultIterations,
            local,
            Store.GetIdentityKeyPair().PublicKey,
            remote,
            request.PublicKey("remoteIdentityKey"));
        return new() { ["displayable"] = fingerprint.Displayable, ["scannable"] = fingerprint.Scannable.Serialize() };
    }

    private static bool Verify(ShimRequest request)
    {
        X25519PublicKey key = request.PublicKey("publicKey").PublicKey;
        byte[] message = request.Base64("message"), signature = request.Base64("signature");
        return signature.Length == XEdDsa.SignatureSizeInBytes && XEdDsa.Verify(key, message, signature);
    }

    private static ProtocolAddress Peer(ShimRequest request) => new(request.String("peer"), request.UInt32("deviceId"));

    private static string Success(JsonElement? id, Dictionary<string, object> fields) => Reply(id, writer =>
    {
        writer.WriteBoolean("ok", true);
        foreach ((string name, object value) in fields)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }
    });

    private static string Failure(JsonElement? id, string reason, string message) => Reply(id, writer =>
    {
        writer.WriteBoolean("ok", false);
        writer.WriteString("error", reason);
        writer.WriteString("message", message);
    });

    /// <summary>
    /// Whether every string and property name in <paramref name="element"/> is valid Unicode. JsonDocument
    /// accepts a lone surrogate escape (<c>"\uD800"</c>) at parse time and throws InvalidOperationException
    /// when such a string is read, looked up by name or written back (as the echoed <c>id</c>); found by the
    /// <c>shim-line</c> fuzz target (regression seeds: <c>fuzz/corpus/shim-line/regression-*</c>).
    /// </summary>
    private static bool IsValidUnicode(JsonElement element)
    {
        try
        {
            Read(element);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        static void Read(JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    _ = value.GetString();
                    break;
                case JsonValueKind.Array:
                    foreach (JsonElement item in value.EnumerateArray())
                    {
                        Read(item);
                    }
                    break;
                case JsonValueKind.Object:
                    foreach (JsonProperty property in value.EnumerateObject())
                    {
                        _ = property.Name;
                        Read(property.Value);
                    }
                    break;
            }
        }
    }

    private static string Reply(JsonElement? id, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (id is { } value)
            {
                writer.WritePropertyName("id");
                value.WriteTo(writer);
            }
            body(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case byte[] bytes: writer.WriteBase64StringValue(bytes); break;
            case string text: writer.WriteStringValue(text); break;
            case bool flag: writer.WriteBooleanValue(flag); break;
            case int number: writer.WriteNumberValue(number); break;
            case uint number: writer.WriteNumberValue(number); break;
            case Dictionary<string, object> nested:
                writer.WriteStartObject();
                foreach ((string name, object item) in nested)
                {
                    writer.WritePropertyName(name);
                    WriteValue(writer, item);
                }
                writer.WriteEndObject();
                break;
            default: throw new InvalidOperationException($"No JSON form for {value.GetType()}.");
        }
    }

    /// <summary>Reads one line (without its end) into <paramref name="line"/>; a line past the limit is skipped and flagged.</summary>
    private static bool ReadLine(TextReader input, StringBuilder line, out bool tooLong)
    {
        line.Clear();
        tooLong = false;
        int c = input.Read();
        if (c < 0)
        {
            return false;
        }
        for (; c >= 0 && c != '\n'; c = input.Read())
        {
            if (line.Length < MaxLineLength)
            {
                line.Append((char)c);
            }
            else
            {
                tooLong = true;
            }
        }
        if (line.Length > 0 && line[^1] == '\r')
        {
            line.Length--;
        }
        return true;
    }

    private sealed class UnknownOpException(string message) : Exception(message);
}
