using System.Buffers.Binary;
using Google.Protobuf;
using SecureComms.Cloud.Framing;
using SecureComms.Cloud.Proto;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// Fuzz target <c>cloud-frame</c>: the input is a byte stream as a server would read it off a TLS connection.
/// <see cref="FrameReader"/> reads frames from it until the end or a refusal, and each frame body is parsed
/// as a <see cref="ClientFrame"/> (what the server does) and as a <see cref="ServerFrame"/> (what the client
/// does) through <see cref="FrameMessages"/>.
/// </summary>
/// <remarks>
/// Both are total: nothing may escape (a refusal is a <see cref="FrameError"/> value, a protobuf failure a
/// Malformed error). Oracles: a frame body is within [<see cref="FrameLimits.MinFrameSizeInBytes"/>,
/// <see cref="FrameLimits.MaxFrameSizeInBytes"/>] and is exactly the bytes after its prefix; a TooLarge or Empty
/// refusal carries the declared length and is refused before any body byte is consumed; the stream position
/// after the frames is the sum of what they declared; re-encoding a body gives the original frame bytes;
/// a parsed envelope re-serializes to bytes that parse to an equal envelope.
/// </remarks>
public static class CloudFrameTarget
{
    /// <summary>The target's name on the command line and in <c>fuzz/corpus/</c>.</summary>
    public const string Name = "cloud-frame";

    /// <summary>Runs one input.</summary>
    public static void Target(ReadOnlySpan<byte> data)
    {
        byte[] input = data.ToArray();
        using var stream = new MemoryStream(input, writable: false);
        using var reader = new FrameReader(stream);
        long consumed = 0;
        while (true)
        {
            // A MemoryStream completes synchronously, so the ValueTask is already done.
            FrameReadResult read = reader.ReadAsync().AsTask().GetAwaiter().GetResult();
            switch (read.Status)
            {
                case FrameReadStatus.EndOfStream:
                    FuzzFindingException.Require(consumed == input.Length, "a clean end of stream is at the end of the input");
                    return;
                case FrameReadStatus.Refused:
                    CheckRefusal(read.Error!, input, consumed, stream.Position);
                    return;
                default:
                    ReadOnlySpan<byte> body = read.Payload.Span;
                    FuzzFindingException.Require(
                        body.Length is >= FrameLimits.MinFrameSizeInBytes and <= FrameLimits.MaxFrameSizeInBytes,
                        "a frame body is within the size bounds");
                    long frameStart = consumed;
                    consumed += FrameLimits.LengthPrefixSizeInBytes + body.Length;
                    FuzzFindingException.Require(stream.Position == consumed, "the reader consumes exactly prefix + declared length");
                    FuzzFindingException.Require(
                        FrameWriter.Encode(body).AsSpan().SequenceEqual(input.AsSpan((int)frameStart, (int)(consumed - frameStart))),
                        "re-encoding the body gives the frame's bytes");
                    CheckEnvelopes(body);
                    break;
            }
        }
    }

    private static void CheckRefusal(FrameError error, byte[] input, long consumed, long position)
    {
        long remaining = input.Length - consumed;
        switch (error.Reason)
        {
            case FrameErrorReason.Empty:
            case FrameErrorReason.TooLarge:
                FuzzFindingException.Require(position == consumed + FrameLimits.LengthPrefixSizeInBytes,
                    "a length refusal reads the prefix and not one body byte");
                uint declared = BinaryPrimitives.ReadUInt32BigEndian(input.AsSpan((int)consumed));
                FuzzFindingException.Require(error.DeclaredLength == declared, "the refusal carries the declared length");
                FuzzFindingException.Require(
                    error.Reason == FrameErrorReason.Empty ? declared == 0 : declared > FrameLimits.MaxFrameSizeInBytes,
                    "only 0 is Empty and only lengths over the maximum are TooLarge");
                break;
            case FrameErrorReason.Truncated:
                FuzzFindingException.Require(position == input.Length, "a truncation is found at the end of the input");
                FuzzFindingException.Require(
                    remaining < FrameLimits.LengthPrefixSizeInBytes || remaining < FrameLimits.LengthPrefixSizeInBytes + error.DeclaredLength,
                    "only a frame longer than what is left is truncated");
                break;
            default:
                throw new FuzzFindingException($"Property violated: the reader refuses only by length or truncation, not {error.Reason}");
        }
    }

    private static void CheckEnvelopes(ReadOnlySpan<byte> body)
    {
        if (FrameMessages.TryParseClientFrame(body, out ClientFrame client, out FrameError? clientError))
        {
            ClientFrame again = ClientFrame.Parser.ParseFrom(client.ToByteArray());
            FuzzFindingException.Require(again.Equals(client), "a ClientFrame re-serializes to an equal ClientFrame");
        }
        else
        {
            FuzzFindingException.Require(clientError is { Reason: FrameErrorReason.Malformed }, "a ClientFrame failure is Malformed");
        }
        if (FrameMessages.TryParseServerFrame(body, out ServerFrame server, out FrameError? serverError))
        {
            ServerFrame again = ServerFrame.Parser.ParseFrom(server.ToByteArray());
            FuzzFindingException.Require(again.Equals(server), "a ServerFrame re-serializes to an equal ServerFrame");
        }
        else
        {
            FuzzFindingException.Require(serverError is { Reason: FrameErrorReason.Malformed }, "a ServerFrame failure is Malformed");
        }
    }
}
