using System.Text.Json;
using SecureComms.Signal;

namespace SecureComms.Interop.Signal;

/// <summary>A malformed shim request: a missing or mistyped field. Replied to as <c>MalformedRequest</c>.</summary>
public sealed class MalformedRequestException(string message) : Exception(message)
{
    /// <summary>Not for use: a malformed request names its problem.</summary>
    public MalformedRequestException()
        : this("Malformed request.")
    {
    }

    /// <summary>Not for use.</summary>
    public MalformedRequestException(string message, Exception innerException)
        : this(message + " " + innerException?.Message)
    {
    }
}

/// <summary>Typed, total access to the fields of one shim request (a JSON object).</summary>
internal readonly struct ShimRequest(JsonElement root)
{
    /// <summary>The object (or a nested one, e.g. a bundle).</summary>
    public JsonElement Root { get; } = root;

    /// <summary>A string field.</summary>
    public string String(string name) =>
        Field(name, JsonValueKind.String).GetString() ?? throw Missing(name, "a string");

    /// <summary>A base64 field.</summary>
    public byte[] Base64(string name) =>
        Field(name, JsonValueKind.String).TryGetBytesFromBase64(out byte[]? bytes) ? bytes : throw Missing(name, "base64");

    /// <summary>A 33-byte public key (0x05 ‖ u), base64.</summary>
    public IdentityKey PublicKey(string name) =>
        IdentityKey.TryDeserialize(Base64(name), out IdentityKey? key)
            ? key!
            : throw new SignalProtocolException(SignalError.InvalidKey, $"'{name}' is not a 33-byte key with type byte 0x05.");

    /// <summary>An unsigned 32-bit field.</summary>
    public uint UInt32(string name) =>
        Field(name, JsonValueKind.Number).TryGetUInt32(out uint value) ? value : throw Missing(name, "an unsigned 32-bit integer");

    /// <summary>An optional unsigned 32-bit field (absent or null → null).</summary>
    public uint? OptionalUInt32(string name) => Has(name) ? UInt32(name) : null;

    /// <summary>A boolean field.</summary>
    public bool Boolean(string name) => Root.TryGetProperty(name, out JsonElement value) switch
    {
        true when value.ValueKind == JsonValueKind.True => true,
        true when value.ValueKind == JsonValueKind.False => false,
        _ => throw Missing(name, "a boolean"),
    };

    /// <summary>A nested object.</summary>
    public ShimRequest Object(string name) => new(Field(name, JsonValueKind.Object));

    /// <summary>Whether the field is present and not null.</summary>
    public bool Has(string name) => Root.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null;

    private JsonElement Field(string name, JsonValueKind kind) =>
        Root.TryGetProperty(name, out JsonElement value) && value.ValueKind == kind ? value : throw Missing(name, KindName(kind));

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Object => "an object",
        _ => kind.ToString(),
    };

    private static MalformedRequestException Missing(string name, string what) => new($"Field '{name}' must be {what}.");
}
