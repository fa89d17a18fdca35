using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SecureComms.Cloud.Framing;

namespace SecureComms.Cloud.Tests.Framing;

/// <summary>
/// The frame codec for arbitrary inputs: decoding inverts encoding for any sequence of bodies within the
/// bounds, and any byte stream at all yields frames, a clean end or a typed refusal, never another exception.
/// </summary>
public sealed class FrameCodecProperties
{
    private static readonly Gen<byte> Byte = Gen.Choose(0, 255).Select(i => (byte)i);

    /// <summary>Bodies of 1 to 300 bytes, and now and then one near the maximum.</summary>
    private static readonly Gen<byte[]> Body = Gen.Frequency(
        (20, Gen.Choose(1, 300).SelectMany(n => Gen.ArrayOf(Byte, n))),
        (1, Gen.Choose(FrameLimits.MaxFrameSizeInBytes - 2, FrameLimits.MaxFrameSizeInBytes).Select(n => new byte[n])));

    /// <summary>Byte streams that look like frames often enough to go past the prefix: encoded frames, cut
    /// anywhere, with random bytes or lengths spliced in.</summary>
    private static readonly Gen<byte[]> Stream = Gen.OneOf(
        Gen.Choose(0, 64).SelectMany(n => Gen.ArrayOf(Byte, n)),
        from bodies in Gen.ListOf(Gen.Choose(1, 40).SelectMany(n => Gen.ArrayOf(Byte, n)))
        from noise in Gen.ArrayOf(Byte, 8)
        from cut in Gen.Choose(0, 1000)
        let frames = bodies.SelectMany(b => FrameWriter.Encode(b)).Concat(noise).ToArray()
        select frames[..Math.Min(cut, frames.Length)]);

    [Property(MaxTest = 200)]
    public Property Decode_inverts_encode() => Prop.ForAll(Gen.ListOf(Body).Select(b => b.Take(4).ToArray()).ToArbitrary(), bodies =>
    {
        byte[] stream = bodies.SelectMany(b => FrameWriter.Encode(b)).ToArray();
        using var reader = new FrameReader(new MemoryStream(stream));
        foreach (byte[] body in bodies)
        {
            var read = reader.ReadAsync().AsTask().GetAwaiter().GetResult();
            if (read.Status != FrameReadStatus.Frame || !read.Payload.Span.SequenceEqual(body))
            {
                return false;
            }
        }
        return reader.ReadAsync().AsTask().GetAwaiter().GetResult().Status == FrameReadStatus.EndOfStream;
    });

    [Property(MaxTest = 1000)]
    public Property Any_byte_stream_yields_frames_or_a_typed_refusal() => Prop.ForAll(Stream.ToArbitrary(), input =>
    {
        using var reader = new FrameReader(new MemoryStream(input));
        long consumed = 0;
        while (true)
        {
            // Any exception here fails the property.
            var read = reader.ReadAsync().AsTask().GetAwaiter().GetResult();
            switch (read.Status)
            {
                case FrameReadStatus.EndOfStream:
                    return consumed == input.Length;
                case FrameReadStatus.Refused:
                    return read.Error is not null;
                default:
                    consumed += FrameLimits.LengthPrefixSizeInBytes + read.Payload.Length;
                    FrameMessages.TryParseClientFrame(read.Payload.Span, out _, out _);
                    FrameMessages.TryParseServerFrame(read.Payload.Span, out _, out _);
                    break;
            }
        }
    });
}
