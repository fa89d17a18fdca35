using System.Buffers.Binary;
using SecureComms.Cloud.Framing;
using SecureComms.Cloud.Proto;

namespace SecureComms.Cloud.Tests.Transport;

/// <summary>Frames written and read by hand over a stream, to send the server what no honest client sends.</summary>
internal static class RawFrames
{
    public static byte[] Prefix(uint declaredLength)
    {
        var prefix = new byte[FrameLimits.LengthPrefixSizeInBytes];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, declaredLength);
        return prefix;
    }

    /// <summary>The next ServerFrame, or null at the end of the stream.</summary>
    public static async Task<ServerFrame?> ReadServerFrameAsync(Stream stream, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(3));
        using var reader = new FrameReader(stream);
        FrameReadResult read = await reader.ReadAsync(deadline.Token);
        if (read.Status == FrameReadStatus.EndOfStream)
        {
            return null;
        }
        Assert.Equal(FrameReadStatus.Frame, read.Status);
        Assert.True(FrameMessages.TryParseServerFrame(read.Payload.Span, out ServerFrame frame, out _));
        return frame;
    }

    /// <summary>True when the peer closes the stream (end of stream or reset) within the timeout.</summary>
    public static async Task<bool> ClosesAsync(Stream stream, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(3));
        var buffer = new byte[256];
        try
        {
            while (await stream.ReadAsync(buffer, deadline.Token) > 0)
            {
            }
            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
