using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;

namespace SecureComms.Cloud.Framing;

/// <summary>
/// The frame encoder: writes a protobuf message (or a raw body) as a length-prefixed frame, the prefix and
/// the body in one <see cref="Stream.WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/> so that over TLS a
/// small frame is one record.
/// </summary>
/// <remarks>
/// References: <see cref="FrameLimits"/>.
/// Allocation: <see cref="WriteAsync"/> serializes into a pooled buffer, cleared when returned.
/// Hazards: a body outside [<see cref="FrameLimits.MinFrameSizeInBytes"/>, maximum] is never written: it
/// throws <see cref="FrameException"/> before anything reaches the stream, so a failed write leaves the
/// stream in step. Not thread-safe per stream: serialize writers.
/// </remarks>
public static class FrameWriter
{
    /// <summary>Writes <paramref name="message"/> as one frame.</summary>
    /// <exception cref="FrameException">The serialized message is empty or over <paramref name="maxFrameSizeInBytes"/>.</exception>
    public static async ValueTask WriteAsync(Stream stream, IMessage message, CancellationToken cancellationToken = default,
        int maxFrameSizeInBytes = FrameLimits.MaxFrameSizeInBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(message);
        int size = message.CalculateSize();
        CheckBodySize(size, maxFrameSizeInBytes);
        int frameSize = FrameLimits.LengthPrefixSizeInBytes + size;
        byte[] rented = ArrayPool<byte>.Shared.Rent(frameSize);
        try
        {
            BinaryPrimitives.WriteUInt32BigEndian(rented, (uint)size);
            message.WriteTo(rented.AsSpan(FrameLimits.LengthPrefixSizeInBytes, size));
            await stream.WriteAsync(rented.AsMemory(0, frameSize), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }

    /// <summary>The frame for <paramref name="message"/>: prefix and body in a new array.</summary>
    /// <exception cref="FrameException">The serialized message is empty or over <paramref name="maxFrameSizeInBytes"/>.</exception>
    public static byte[] Encode(IMessage message, int maxFrameSizeInBytes = FrameLimits.MaxFrameSizeInBytes)
    {
        ArgumentNullException.ThrowIfNull(message);
        int size = message.CalculateSize();
        CheckBodySize(size, maxFrameSizeInBytes);
        byte[] frame = new byte[FrameLimits.LengthPrefixSizeInBytes + size];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)size);
        message.WriteTo(frame.AsSpan(FrameLimits.LengthPrefixSizeInBytes));
        return frame;
    }

    /// <summary>The frame whose body is <paramref name="body"/>: prefix and body in a new array.</summary>
    /// <exception cref="FrameException">The body is empty or over <paramref name="maxFrameSizeInBytes"/>.</exception>
    public static byte[] Encode(ReadOnlySpan<byte> body, int maxFrameSizeInBytes = FrameLimits.MaxFrameSizeInBytes)
    {
        CheckBodySize(body.Length, maxFrameSizeInBytes);
        byte[] frame = new byte[FrameLimits.LengthPrefixSizeInBytes + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)body.Length);
        body.CopyTo(frame.AsSpan(FrameLimits.LengthPrefixSizeInBytes));
        return frame;
    }

    private static void CheckBodySize(int size, int maxFrameSizeInBytes)
    {
        if (FrameReader.CheckLength((uint)size, maxFrameSizeInBytes) is { } refusal)
        {
            throw new FrameException(refusal);
        }
    }
}
