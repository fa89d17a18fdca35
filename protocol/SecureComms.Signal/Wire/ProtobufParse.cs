using Google.Protobuf;

namespace SecureComms.Signal.Wire;

/// <summary>Protobuf parsing with every failure turned into a typed refusal.</summary>
internal static class ProtobufParse
{
    /// <summary>Parses <paramref name="bytes"/>; a malformed protobuf is InvalidMessage (or <paramref name="reason"/>).</summary>
    public static T Parse<T>(MessageParser<T> parser, ReadOnlySpan<byte> bytes, string what, SignalError reason = SignalError.InvalidMessage)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new SignalProtocolException(reason, $"{what} is not a valid protobuf: {e.Message}", e);
        }
    }
}
