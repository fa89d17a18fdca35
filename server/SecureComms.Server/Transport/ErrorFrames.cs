using SecureComms.Cloud.Proto;

namespace SecureComms.Server.Transport;

/// <summary>Builds the <see cref="ServerFrame"/> that carries an <see cref="Error"/>.</summary>
public static class ErrorFrames
{
    /// <summary>An error answer to <paramref name="requestId"/> (0: a push, for errors that end the connection).
    /// <paramref name="message"/> must not quote payloads or secrets.</summary>
    public static ServerFrame Create(ulong requestId, Code code, string message) =>
        new() { RequestId = requestId, Error = new Error { Code = code, Message = message } };
}
