using System.Buffers;
using System.Buffers.Binary;

namespace SecureComms.Cloud.Framing;

/// <summary>
/// The frame decoder: reads one length-prefixed frame at a time from any <see cref="Stream"/> (an
/// <c>SslStream</c> on the server and the client, a <see cref="MemoryStream"/> in the fuzz harness). Total:
/// every input yields frames, a clean end of stream, or a typed <see cref="FrameError"/>; only the stream's
/// own failures (<see cref="IOException"/>) and cancellation escape.
/// </summary>
/// <remarks>
/// References: <see cref="FrameLimits"/> (format and bounds).
/// Order of checks, which is the point of this type: the 4-byte prefix is read into a fixed array; the
/// length is checked against the minimum and the maximum (<see cref="CheckLength"/>); only then is a buffer
/// rented, starting at <see cref="FrameLimits.InitialReadBufferSizeInBytes"/> and doubling as bytes arrive,
/// so memory follows what the peer really sent, never what it declared.
/// Allocation: one pooled buffer per reader, reused across frames and returned (cleared) when it grew past
/// <see cref="FrameLimits.RetainedReadBufferSizeInBytes"/> and on <see cref="Dispose"/>.
/// Hazards: a <see cref="FrameReadResult.Payload"/> is only valid until the next read; after a refusal the
/// stream is out of step and the reader refuses to read again. Not thread-safe: one reader per stream,
/// one read at a time.
/// </remarks>
public sealed class FrameReader : IDisposable
{
    private readonly Stream _stream;
    private readonly int _maxFrameSizeInBytes;
    private readonly byte[] _prefix = new byte[FrameLimits.LengthPrefixSizeInBytes];
    private byte[] _buffer = [];
    private bool _refused;
    private bool _disposed;

    /// <summary>A reader over <paramref name="stream"/> that refuses bodies over <paramref name="maxFrameSizeInBytes"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The maximum is below the minimum frame size or above
    /// <see cref="FrameLimits.MaxFrameSizeInBytes"/>.</exception>
    public FrameReader(Stream stream, int maxFrameSizeInBytes = FrameLimits.MaxFrameSizeInBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameSizeInBytes, FrameLimits.MinFrameSizeInBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxFrameSizeInBytes, FrameLimits.MaxFrameSizeInBytes);
        _stream = stream;
        _maxFrameSizeInBytes = maxFrameSizeInBytes;
    }

    /// <summary>The largest body this reader accepts.</summary>
    public int MaxFrameSizeInBytes => _maxFrameSizeInBytes;

    /// <summary>
    /// The check made before any allocation: null when <paramref name="declaredLength"/> is an acceptable body
    /// length, otherwise the refusal (<see cref="FrameErrorReason.Empty"/> or <see cref="FrameErrorReason.TooLarge"/>).
    /// </summary>
    public static FrameError? CheckLength(uint declaredLength, int maxFrameSizeInBytes) =>
        declaredLength < FrameLimits.MinFrameSizeInBytes
            ? new FrameError(FrameErrorReason.Empty, declaredLength, FrameLimits.MinFrameSizeInBytes)
            : declaredLength > (uint)maxFrameSizeInBytes
                ? new FrameError(FrameErrorReason.TooLarge, declaredLength, maxFrameSizeInBytes)
                : null;

    /// <summary>Reads the next frame.</summary>
    /// <exception cref="InvalidOperationException">A previous read was refused (the stream is out of step).</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public async ValueTask<FrameReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_refused)
        {
            throw new InvalidOperationException("A frame was refused on this stream; it must be closed, not read again.");
        }
        if (_buffer.Length > FrameLimits.RetainedReadBufferSizeInBytes)
        {
            ReturnBuffer();
        }
        FrameReadResult result = await ReadCoreAsync(cancellationToken).ConfigureAwait(false);
        _refused = result.Status == FrameReadStatus.Refused;
        return result;
    }

    private async ValueTask<FrameReadResult> ReadCoreAsync(CancellationToken cancellationToken)
    {
        int prefixRead = await _stream.ReadAtLeastAsync(_prefix, _prefix.Length, throwOnEndOfStream: false, cancellationToken)
            .ConfigureAwait(false);
        if (prefixRead == 0)
        {
            return FrameReadResult.OfEndOfStream();
        }
        if (prefixRead < _prefix.Length)
        {
            return FrameReadResult.OfRefusal(new FrameError(FrameErrorReason.Truncated, 0, _prefix.Length));
        }
        uint declared = BinaryPrimitives.ReadUInt32BigEndian(_prefix);
        if (CheckLength(declared, _maxFrameSizeInBytes) is { } refusal)
        {
            return FrameReadResult.OfRefusal(refusal);
        }
        int length = (int)declared;
        int received = 0;
        while (received < length)
        {
            EnsureCapacity(received, Math.Min(length, Math.Max(received * 2, FrameLimits.InitialReadBufferSizeInBytes)));
            int chunk = await _stream.ReadAsync(_buffer.AsMemory(received, Math.Min(length, _buffer.Length) - received), cancellationToken)
                .ConfigureAwait(false);
            if (chunk == 0)
            {
                return FrameReadResult.OfRefusal(new FrameError(FrameErrorReason.Truncated, declared, length));
            }
            received += chunk;
        }
        return FrameReadResult.OfFrame(_buffer.AsMemory(0, length));
    }

    /// <summary>Makes the buffer at least <paramref name="capacity"/> bytes, keeping its first <paramref name="used"/>.</summary>
    private void EnsureCapacity(int used, int capacity)
    {
        if (_buffer.Length >= capacity)
        {
            return;
        }
        byte[] larger = ArrayPool<byte>.Shared.Rent(capacity);
        _buffer.AsSpan(0, used).CopyTo(larger);
        ReturnBuffer();
        _buffer = larger;
    }

    private void ReturnBuffer()
    {
        if (_buffer.Length > 0)
        {
            // Cleared: frame bodies will carry tokens and ciphertexts that the next renter must not see.
            ArrayPool<byte>.Shared.Return(_buffer, clearArray: true);
        }
        _buffer = [];
    }

    /// <summary>Returns the buffer to the pool. Does not dispose the stream.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            ReturnBuffer();
        }
    }
}
