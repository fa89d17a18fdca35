namespace SecureComms.Cloud.Framing;

/// <summary>Why a frame was refused.</summary>
public enum FrameErrorReason
{
    /// <summary>The declared length is 0 (below <see cref="FrameLimits.MinFrameSizeInBytes"/>).</summary>
    Empty,

    /// <summary>The declared length is over the reader's maximum; nothing of the body was read.</summary>
    TooLarge,

    /// <summary>The stream ended inside a length prefix or a body.</summary>
    Truncated,

    /// <summary>The body is not a valid protobuf message of the expected type.</summary>
    Malformed,
}

/// <summary>
/// A refused frame, with the numbers that crossed the bound (STYLE.md §14). Safe to log: it carries
/// lengths, never payload bytes.
/// </summary>
/// <param name="Reason">What was wrong.</param>
/// <param name="DeclaredLength">The length prefix as read (0 when the prefix itself was cut short).</param>
/// <param name="Limit">The bound that applied: the maximum for <see cref="FrameErrorReason.TooLarge"/>, the
/// minimum for <see cref="FrameErrorReason.Empty"/>, the bytes expected for
/// <see cref="FrameErrorReason.Truncated"/>, 0 otherwise.</param>
public sealed record FrameError(FrameErrorReason Reason, long DeclaredLength, long Limit)
{
    /// <summary>A one-line description with the numbers, for logs and <see cref="FrameException"/>.</summary>
    public override string ToString() => Reason switch
    {
        FrameErrorReason.Empty => $"empty frame (length 0, minimum {Limit})",
        FrameErrorReason.TooLarge => $"frame too large ({DeclaredLength} bytes declared, maximum {Limit})",
        FrameErrorReason.Truncated => $"stream ended inside a frame ({Limit} bytes expected)",
        FrameErrorReason.Malformed => $"malformed frame body ({DeclaredLength} bytes)",
        _ => Reason.ToString(),
    };
}

/// <summary>A refused frame, for callers that cannot go on (the client's read loop). The reader itself returns
/// <see cref="FrameError"/> as a value.</summary>
public sealed class FrameException(FrameError error) : Exception(error.ToString())
{
    /// <summary>The refusal.</summary>
    public FrameError Error { get; } = error;
}
