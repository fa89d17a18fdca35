using System.Text.Json.Nodes;
using SecureComms.Client.Engine;

namespace SecureComms.Cli.Client;

/// <summary>Engine events as JSON-RPC notifications (no id): message, presence, contactRequest, call, connection,
/// sessionEnded, warning (docs/jsonrpc.md).</summary>
internal static class JsonRpcNotifications
{
    public static JsonObject? From(EngineEvent e) => e switch
    {
        MessageArrived m => Notification("message", Incoming(m)),
        ContactPresenceChanged p => Notification("presence", new JsonObject { ["user"] = p.User, ["status"] = JsonNames.Of(p.Status) }),
        ContactRequestArrived r => Notification("contactRequest", new JsonObject { ["from"] = r.From }),
        CallSignalArrived c => Notification("call", new JsonObject
        {
            ["callId"] = c.Signal.CallId.ToString(),
            ["peer"] = c.Signal.Peer,
            ["kind"] = c.Signal.Kind.ToString(),
            ["payload"] = Convert.ToBase64String(c.Signal.Payload),
        }),
        ConnectionChanged c => Notification("connection", new JsonObject { ["connected"] = c.Connected }),
        SessionEnded s => Notification("sessionEnded", new JsonObject { ["reason"] = s.Reason }),
        EngineWarning w => Notification("warning", new JsonObject { ["message"] = w.Message }),
        _ => null,
    };

    private static JsonObject Incoming(MessageArrived arrived)
    {
        var message = new JsonObject
        {
            ["from"] = arrived.Message.Peer,
            ["id"] = arrived.Message.ClientMessageId.ToString(),
            ["text"] = arrived.Message.Text,
            ["private"] = arrived.Message.Private,
            ["sequence"] = arrived.Message.ServerSequence,
            ["at"] = JsonNames.Time(arrived.Message.At),
        };
        if (arrived.Message.Error is not null)
        {
            message["error"] = arrived.Message.Error;
        }
        return message;
    }

    private static JsonObject Notification(string method, JsonObject parameters) =>
        new() { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters };
}
