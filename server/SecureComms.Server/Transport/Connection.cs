using System.Net;
using System.Security.Authentication;
using System.Threading.Channels;
using SecureComms.Cloud.Framing;
using SecureComms.Cloud.Proto;

namespace SecureComms.Server.Transport;

/// <summary>
/// One client connection as handlers see it: its id and endpoint, the negotiated TLS protocol, and
/// <see cref="TryPush"/> for server-initiated frames (events). The loops that drive it are in
/// <see cref="ConnectionRunner"/>.
/// </summary>
/// <remarks>
/// Backpressure: every frame to the peer (answers and pushes) goes through one bounded queue of
/// <see cref="CloudListenerOptions.OutgoingQueueCapacity"/> frames, drained by one writer. Enqueueing never
/// waits: a full queue means the peer is not reading, and the connection is closed
/// (<see cref="CloseReason.SlowReader"/>) instead of buffering without bound.
/// Thread-safety: <see cref="TryPush"/> and <see cref="Close"/> may be called from any thread.
/// </remarks>
public sealed class Connection : IDisposable
{
    private readonly Channel<ServerFrame> _outgoing;
    private readonly CancellationTokenSource _closing;
    private readonly CancellationTokenRegistration _onShutdown;
    private int _closeReason = -1;

    internal Connection(long id, EndPoint? remoteEndPoint, int outgoingQueueCapacity, CancellationToken shutdown)
    {
        Id = id;
        RemoteEndPoint = remoteEndPoint;
        _outgoing = Channel.CreateBounded<ServerFrame>(new BoundedChannelOptions(outgoingQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // never waited on: TryWrite fails when full
        });
        _closing = new CancellationTokenSource();
        _onShutdown = shutdown.Register(static state => ((Connection)state!).Close(Transport.CloseReason.ServerShutdown), this);
    }

    /// <summary>The listener's sequence number for this connection (for logs).</summary>
    public long Id { get; }

    /// <summary>The peer's address and port.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The negotiated TLS protocol (always <see cref="SslProtocols.Tls13"/> once handlers run).</summary>
    public SslProtocols Protocol { get; internal set; }

    /// <summary>Why the connection is closing, once it is.</summary>
    public CloseReason? CloseReason => _closeReason < 0 ? null : (CloseReason)_closeReason;

    /// <summary>Cancelled when the connection starts closing (for any reason, shutdown included).</summary>
    public CancellationToken Closing => _closing.Token;

    internal ChannelReader<ServerFrame> Outgoing => _outgoing.Reader;

    /// <summary>
    /// Queues a server-initiated frame (<c>request_id</c> 0). False when the connection is closing, or when the
    /// queue is full, in which case the connection is closed as a slow reader.
    /// </summary>
    /// <exception cref="ArgumentException">The frame has a request id (answers are the handler's return value), or
    /// is larger than a frame.</exception>
    public bool TryPush(ServerFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.RequestId != 0)
        {
            throw new ArgumentException("A pushed frame has request_id 0.", nameof(frame));
        }
        int size = frame.CalculateSize();
        if (FrameReader.CheckLength((uint)size, FrameLimits.MaxFrameSizeInBytes) is { } refusal)
        {
            throw new ArgumentException($"A pushed frame must fit a frame: {refusal}.", nameof(frame));
        }
        return TryEnqueue(frame);
    }

    /// <summary>Queues a frame; on a full queue closes the connection (<see cref="CloseReason.SlowReader"/>).</summary>
    internal bool TryEnqueue(ServerFrame frame)
    {
        if (_outgoing.Writer.TryWrite(frame))
        {
            return true;
        }
        if (!_closing.IsCancellationRequested)
        {
            Close(Transport.CloseReason.SlowReader);
        }
        return false;
    }

    /// <summary>Queues the last frame of an orderly close, then lets the writer finish once the queue is drained.</summary>
    internal void EnqueueFinal(ServerFrame? frame)
    {
        if (frame is not null)
        {
            _outgoing.Writer.TryWrite(frame);
        }
        _outgoing.Writer.TryComplete();
    }

    /// <summary>Starts closing with <paramref name="reason"/>; the first reason wins. Safe from any thread.</summary>
    internal void Close(CloseReason reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, (int)reason, -1) == -1)
        {
            try
            {
                _closing.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Closed and disposed concurrently: nothing left to cancel.
            }
        }
    }

    /// <summary>Releases the cancellation sources.</summary>
    public void Dispose()
    {
        _onShutdown.Dispose();
        _closing.Dispose();
    }
}
