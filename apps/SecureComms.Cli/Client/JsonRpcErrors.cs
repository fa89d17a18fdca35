using SecureComms.Cloud.Proto;

namespace SecureComms.Cli.Client;

/// <summary>
/// The JSON-RPC 2.0 error codes of <c>securecomms client jsonrpc</c> (docs/jsonrpc.md): the spec's five, and the
/// application's in the range the spec leaves to servers (-32000 to -32099).
/// </summary>
internal static class JsonRpcErrors
{
    /// <summary>Not JSON.</summary>
    public const int ParseError = -32700;

    /// <summary>JSON, but not a request object (or a line over the size bound).</summary>
    public const int InvalidRequest = -32600;

    /// <summary>No such method.</summary>
    public const int MethodNotFound = -32601;

    /// <summary>Missing, mistyped or unexpected parameters.</summary>
    public const int InvalidParams = -32602;

    /// <summary>A failure of this process (details on standard error only).</summary>
    public const int InternalError = -32603;

    /// <summary>The server refused the request: -32000 − the cloud protocol's code (e.g. -32003 forbidden); data.code names it.</summary>
    public static int ServerRefused(Code code) => -32000 - (int)code;

    /// <summary>The method needs a signed-in profile: call login.</summary>
    public const int NotSignedIn = -32020;

    /// <summary>The server no longer accepts the session (expired, revoked): call login.</summary>
    public const int SessionEnded = -32021;

    /// <summary>A Private Conversation failed (bad bundle signature, changed identity...); data.reason names it.</summary>
    public const int PrivateConversationFailed = -32022;

    /// <summary>The server cannot be reached (connection refused, TLS failure, timeout).</summary>
    public const int Unreachable = -32023;
}

/// <summary>A JSON-RPC error to answer.</summary>
internal sealed class JsonRpcException(int code, string message, object? data = null) : Exception(message)
{
    public int Code { get; } = code;

    public object? ErrorData { get; } = data;
}
