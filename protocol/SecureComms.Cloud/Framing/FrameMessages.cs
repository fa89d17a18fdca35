using System.Text;
using Google.Protobuf;
using SecureComms.Cloud.Proto;

namespace SecureComms.Cloud.Framing;

/// <summary>
/// Frame bodies to envelopes: <see cref="ClientFrame"/> and <see cref="ServerFrame"/> parsed from a frame's
/// bytes, with every parser failure turned into a <see cref="FrameErrorReason.Malformed"/> refusal.
/// </summary>
/// <remarks>
/// Hazards: the generated parser throws <see cref="InvalidProtocolBufferException"/> on malformed input
/// (Google.Protobuf 3.36 wraps invalid UTF-8 in a string field in it too; <see cref="DecoderFallbackException"/>
/// is caught as well in case a version does not); both are refusals here, so no parser exception reaches
/// the frame loop. Unknown fields (bodies of a newer peer) are kept, not refused: the server answers them
/// <c>CODE_UNSUPPORTED</c>.
/// </remarks>
public static class FrameMessages
{
    /// <summary>Parses a client's request envelope; false with a Malformed error when it is not one.</summary>
    public static bool TryParseClientFrame(ReadOnlySpan<byte> body, out ClientFrame frame, out FrameError? error) =>
        TryParse(ClientFrame.Parser, body, out frame, out error);

    /// <summary>Parses a server's response or push envelope; false with a Malformed error when it is not one.</summary>
    public static bool TryParseServerFrame(ReadOnlySpan<byte> body, out ServerFrame frame, out FrameError? error) =>
        TryParse(ServerFrame.Parser, body, out frame, out error);

    private static bool TryParse<T>(MessageParser<T> parser, ReadOnlySpan<byte> body, out T message, out FrameError? error)
        where T : class, IMessage<T>, new()
    {
        try
        {
            message = parser.ParseFrom(body);
            error = null;
            return true;
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or DecoderFallbackException)
        {
            message = new T();
            error = new FrameError(FrameErrorReason.Malformed, body.Length, 0);
            return false;
        }
    }
}
