using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecureComms.Client.Engine;
using SecureComms.Client.Transport;
using SecureComms.Signal;

namespace SecureComms.Cli.Client;

/// <summary>
/// <c>securecomms client … jsonrpc</c>: JSON-RPC 2.0 over standard input and output, one JSON text per line (as
/// signal-cli's jsonRpc mode). Requests run concurrently (a <c>send</c> waiting for the server does not hold up the
/// others); each answer is one line; engine events become notifications. See docs/jsonrpc.md.
/// </summary>
/// <remarks>Total: any line gets a well-formed answer or none (a notification); nothing a peer sends ends the session but
/// the end of input. Passwords are never echoed or logged.</remarks>
internal sealed class JsonRpcSession(ClientEngine engine, Stream input, TextWriter output, TextWriter log)
{
    private const int MaxBatch = 100;
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 16 };

    private readonly Lock _writeLock = new();
    private readonly JsonRpcMethods _methods = new(engine);

    /// <summary>Serves until the input ends, then waits for the requests in flight.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _methods.ResumeAsync(cancellationToken).ConfigureAwait(false);
        Task notifications = Task.Run(() => NotifyAsync(cancellationToken), cancellationToken);
        var reader = new BoundedLineReader(input);
        var inFlight = new List<Task>();
        while (true)
        {
            (BoundedLineReader.LineStatus status, string? line) = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (status == BoundedLineReader.LineStatus.End)
            {
                break;
            }
            if (status == BoundedLineReader.LineStatus.TooLong)
            {
                Write(Error(null, JsonRpcErrors.InvalidRequest, $"request line over {BoundedLineReader.MaxLineSizeInBytes} bytes"));
                continue;
            }
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            inFlight.RemoveAll(t => t.IsCompleted);
            inFlight.Add(Task.Run(() => HandleLineAsync(line, cancellationToken), cancellationToken));
        }
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        await engine.DisposeAsync().ConfigureAwait(false);
        await notifications.ConfigureAwait(false);
    }

    private async Task HandleLineAsync(string line, CancellationToken cancellationToken)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(line, documentOptions: ParseOptions);
        }
        catch (JsonException)
        {
            Write(Error(null, JsonRpcErrors.ParseError, "not JSON"));
            return;
        }
        if (parsed is JsonArray batch)
        {
            if (batch.Count is 0 or > MaxBatch)
            {
                Write(Error(null, JsonRpcErrors.InvalidRequest, $"a batch holds 1 to {MaxBatch} requests"));
                return;
            }
            JsonObject?[] answers = await Task.WhenAll(batch.Select(r => HandleAsync(r, cancellationToken))).ConfigureAwait(false);
            var array = new JsonArray([.. answers.Where(a => a is not null)]);
            if (array.Count > 0)
            {
                Write(array);
            }
            return;
        }
        if (await HandleAsync(parsed, cancellationToken).ConfigureAwait(false) is { } answer)
        {
            Write(answer);
        }
    }

    /// <summary>The answer to one request; null for a notification (no id).</summary>
    private async Task<JsonObject?> HandleAsync(JsonNode? request, CancellationToken cancellationToken)
    {
        if (request is not JsonObject call
            || !call.TryGetPropertyValue("jsonrpc", out JsonNode? version) || version?.GetValueKind() != JsonValueKind.String || version.GetValue<string>() != "2.0"
            || !call.TryGetPropertyValue("method", out JsonNode? methodNode) || methodNode?.GetValueKind() != JsonValueKind.String)
        {
            return Error(null, JsonRpcErrors.InvalidRequest, "a request is an object with \"jsonrpc\": \"2.0\" and a string \"method\"");
        }
        bool isNotification = !call.TryGetPropertyValue("id", out JsonNode? id);
        if (id is not null && id.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number))
        {
            return Error(null, JsonRpcErrors.InvalidRequest, "\"id\" is a string, a number or null");
        }
        JsonNode? parameters = call["params"];
        if (parameters is not null and not JsonObject)
        {
            return isNotification ? null : Error(id, JsonRpcErrors.InvalidParams, "params are by name (an object)");
        }
        try
        {
            JsonNode result = await _methods.InvokeAsync(methodNode.GetValue<string>(), (JsonObject?)parameters, cancellationToken).ConfigureAwait(false);
            return isNotification ? null : new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id?.DeepClone(), ["result"] = result };
        }
        catch (Exception e)
        {
            (int code, string message, object? data) = Classify(e);
            return isNotification ? null : Error(id, code, message, data);
        }
    }

    private (int Code, string Message, object? Data) Classify(Exception e)
    {
        switch (e)
        {
            case JsonRpcException rpc:
                return (rpc.Code, rpc.Message, rpc.ErrorData);
            case CloudErrorException refused:
                return (JsonRpcErrors.ServerRefused(refused.Code), refused.ServerMessage, new { code = JsonNames.Of(refused.Code) });
            case SessionEndedException ended:
                return (JsonRpcErrors.SessionEnded, ended.Message, null);
            case SignalProtocolException signal:
                return (JsonRpcErrors.PrivateConversationFailed, signal.Message, new { reason = signal.Reason.ToString() });
            case IOException or SocketException or AuthenticationException or TimeoutException or CloudConnectionClosedException:
                return (JsonRpcErrors.Unreachable, $"the server cannot be reached ({e.GetType().Name})", null);
            default:
                log.WriteLine($"securecomms jsonrpc: internal error {e.GetType().Name}");
                return (JsonRpcErrors.InternalError, "internal error", null);
        }
    }

    private async Task NotifyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (EngineEvent e in engine.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (JsonRpcNotifications.From(e) is { } notification)
                {
                    Write(notification);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private static JsonObject Error(JsonNode? id, int code, string message, object? data = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (data is not null)
        {
            error["data"] = JsonSerializer.SerializeToNode(data);
        }
        return new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id?.DeepClone(), ["error"] = error };
    }

    private void Write(JsonNode answer)
    {
        string text = JsonNames.Serialize(answer);
        lock (_writeLock)
        {
            output.Write(text);
            output.Write('\n');
            output.Flush();
        }
    }
}
