using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecureComms.Client.Local;
using SecureComms.Cloud.Proto;

namespace SecureComms.Cli.Client;

/// <summary>How the client's values are written in JSON (the JSON-RPC mode and <c>--json</c> output): lower-case
/// names for statuses, ISO 8601 times, UUID strings.</summary>
internal static class JsonNames
{
    /// <summary>JSON as written: one line, non-ASCII text as is (these are lines for programs, never HTML).</summary>
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One JSON text on one line.</summary>
    public static string Serialize(JsonNode node) => node.ToJsonString(Compact);

    /// <summary>A time in UTC, ISO 8601 with milliseconds: 2026-11-25T04:39:04.607Z.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The cloud protocol's name of an error code, e.g. CODE_FORBIDDEN.</summary>
    public static string Of(Code code) => CloudReflection.Descriptor.EnumTypes.Single(e => e.Name == nameof(Code))
        .FindValueByNumber((int)code)?.Name ?? code.ToString();

    public static string Of(Presence presence) => presence switch
    {
        Presence.Online => "online",
        Presence.Away => "away",
        Presence.Busy => "busy",
        _ => "offline",
    };

    public static Presence? ParsePresence(string text) => text switch
    {
        "online" => Presence.Online,
        "away" => Presence.Away,
        "busy" => Presence.Busy,
        "offline" => Presence.Offline,
        _ => null,
    };

    public static string Of(ContactStatus status) => status switch
    {
        ContactStatus.RequestSent => "request_sent",
        ContactStatus.RequestReceived => "request_received",
        ContactStatus.Accepted => "accepted",
        ContactStatus.Declined => "declined",
        ContactStatus.Blocked => "blocked",
        _ => "unknown",
    };

    public static string Of(LocalMessageState state) => state switch
    {
        LocalMessageState.Pending => "pending",
        LocalMessageState.Sent => "sent",
        LocalMessageState.Failed => "failed",
        LocalMessageState.Received => "received",
        _ => "undecryptable",
    };

    public static JsonNode Contact(LocalContact contact) => new JsonObject
    {
        ["username"] = contact.Username,
        ["status"] = Of(contact.Status),
        ["presence"] = Of(contact.Presence),
    };

    public static JsonNode Message(LocalMessage message)
    {
        var json = new JsonObject
        {
            ["peer"] = message.Peer,
            ["outgoing"] = message.Outgoing,
            ["id"] = message.ClientMessageId.ToString(),
            ["text"] = message.Text,
            ["private"] = message.Private,
            ["state"] = Of(message.State),
            ["sequence"] = message.ServerSequence,
            ["at"] = Time(message.At),
        };
        if (message.Error is not null)
        {
            json["error"] = message.Error;
        }
        return json;
    }
}
