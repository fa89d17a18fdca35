namespace SecureComms.Cloud.Framing;

/// <summary>What one <see cref="FrameReader.ReadAsync"/> produced.</summary>
public enum FrameReadStatus
{
    /// <summary>A whole frame: <see cref="FrameReadResult.Payload"/> is its body.</summary>
    Frame,

    /// <summary>The stream ended cleanly, between two frames.</summary>
    EndOfStream,

    /// <summary>The frame was refused: <see cref="FrameReadResult.Error"/> says why. The stream is out of step
    /// and must be closed.</summary>
    Refused,
}

/// <summary>The outcome of reading one frame: a body, a clean end of stream, or a typed refusal.</summary>
/// <remarks>Hazard: <see cref="Payload"/> is a window into the reader's reused buffer, valid only until the
/// next read or until the reader is disposed. Parse or copy it before reading again.</remarks>
public readonly struct FrameReadResult
{
    private FrameReadResult(FrameReadStatus status, ReadOnlyMemory<byte> payload, FrameError? error)
    {
        Status = status;
        Payload = payload;
        Error = error;
    }

    /// <summary>Frame, end of stream or refused.</summary>
    public FrameReadStatus Status { get; }

    /// <summary>The frame's body (between <see cref="FrameLimits.MinFrameSizeInBytes"/> and the reader's maximum);
    /// empty unless <see cref="Status"/> is <see cref="FrameReadStatus.Frame"/>.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>Why the frame was refused; null unless <see cref="Status"/> is <see cref="FrameReadStatus.Refused"/>.</summary>
    public FrameError? Error { get; }

    internal static FrameReadResult OfFrame(ReadOnlyMemory<byte> payload) => new(FrameReadStatus.Frame, payload, null);

    internal static FrameReadResult OfEndOfStream() => new(FrameReadStatus.EndOfStream, ReadOnlyMemory<byte>.Empty, null);

    internal static FrameReadResult OfRefusal(FrameError error) => new(FrameReadStatus.Refused, ReadOnlyMemory<byte>.Empty, error);
}
