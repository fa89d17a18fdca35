namespace SecureComms.Cloud.Framing;

/// <summary>
/// The frame format of the cloud protocol and its bounds: a frame is a 4-byte big-endian unsigned length
/// <c>n</c>, then <c>n</c> bytes of one serialized <c>ClientFrame</c> or <c>ServerFrame</c>
/// (<c>Proto/cloud.proto</c>).
/// </summary>
/// <remarks>
/// References: the issue "Cloud service over TLS 1.3" (frames, a hard maximum enforced before allocation);
/// THREATMODEL.md (oversized and malformed frames).
/// Hazards: the length is attacker-controlled. It is checked against <see cref="MaxFrameSizeInBytes"/>
/// before a single byte of the body is read or a buffer for it is rented, and a refused frame
/// desynchronizes the stream: the connection must be closed, never resumed.
/// </remarks>
public static class FrameLimits
{
    /// <summary>Size of the length prefix: a big-endian unsigned 32-bit integer.</summary>
    public const int LengthPrefixSizeInBytes = 32 / 8;

    /// <summary>Largest body accepted or sent: 1 MiB. Bounds the memory one frame can pin on the
    /// server (one buffer per connection, rented on demand); application payloads larger than this
    /// (attachments) are chunked by the layer above.</summary>
    public const int MaxFrameSizeInBytes = 1024 * 1024;

    /// <summary>Smallest body accepted: 1 byte. An empty body would parse as a frame with no request id and
    /// no body, which no valid peer sends; refusing it at the framing layer keeps "0 bytes" from being
    /// a free keep-alive that bypasses the request rate limit.</summary>
    public const int MinFrameSizeInBytes = 1;

    /// <summary>First buffer a reader rents for a body: 16 KiB. The buffer then doubles as bytes actually
    /// arrive, so a peer that declares 1 MiB and sends nothing pins 16 KiB, not 1 MiB.</summary>
    public const int InitialReadBufferSizeInBytes = 16 * 1024;

    /// <summary>Largest buffer a reader keeps between frames: 64 KiB. A bigger one (rented for a large frame) is
    /// returned to the pool before the next read, so an idle connection does not hold a large buffer.</summary>
    public const int RetainedReadBufferSizeInBytes = 64 * 1024;
}
