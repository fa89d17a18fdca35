using System.Buffers.Binary;
using System.Diagnostics;
using SecureComms.Client;

namespace SecureComms.Load;

/// <summary>
/// One sender → receiver pair of the message workload: the sender sends <see cref="Messages"/> bodies of
/// <see cref="BodySizeInBytes"/> through pipelined <see cref="CloudClient.SendAsync"/> calls on its connection,
/// with at most <see cref="Window"/> messages sent and not yet received by the receiver; the receiver records each
/// latency and acknowledges in batches of <see cref="AckBatch"/>, as a real client does.
/// </summary>
/// <remarks>
/// <para><b>Body.</b> Bytes 0-7: the run's nonce (messages of an earlier run, still stored, are acknowledged and
/// not counted); 8-15: the send time (<see cref="Stopwatch.GetTimestamp"/>, little-endian); 16-19: the index;
/// the rest filler. The body is opaque to the server, as an end-to-end ciphertext would be.</para>
/// <para><b>Window.</b> End to end (sent, not yet delivered), the same definition driver.mjs uses for XMPP, where
/// no acceptance answer exists. The server pushes at most 32 unacknowledged messages per connection
/// (<c>ServiceLimits.DeliveryWindow</c>), so a window above 32 with batches of 16 only adds queueing.</para>
/// </remarks>
internal sealed class MessagePair(CloudClient sender, CloudClient receiver, int messages, int window, long nonce) : IDisposable
{
    /// <summary>Message body size: 100 bytes (issue 5).</summary>
    public const int BodySizeInBytes = 100;

    /// <summary>The receiver acknowledges every 16 messages (half the server's delivery window) and at the end.</summary>
    public const int AckBatch = 16;

    private const int NonceOffset = 0;
    private const int TimestampOffset = 8;
    private const int IndexOffset = 16;
    private const byte Filler = (byte)'x';

    private readonly SemaphoreSlim _window = new(window, window);
    private readonly double[] _latenciesMs = new double[messages];

    public int Messages => messages;

    public int Window => window;

    /// <summary>The latencies recorded, in arrival order (valid after <see cref="RunAsync"/>).</summary>
    public ReadOnlySpan<double> LatenciesMs => _latenciesMs;

    /// <summary>When the last message arrived (<see cref="Stopwatch"/> ticks).</summary>
    public long LastDeliveryTicks { get; private set; }

    /// <summary>Sends and receives every message; throws if any send fails or the receiver's connection ends.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Task receive = ReceiveAsync(cancellationToken);
        Task send = SendAsync(cancellationToken);
        await Task.WhenAll(receive, send).ConfigureAwait(false);
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        var sends = new List<Task>(messages);
        string to = receiver.Username!;
        for (int index = 0; index < messages; index++)
        {
            await _window.WaitAsync(cancellationToken).ConfigureAwait(false);
            byte[] body = new byte[BodySizeInBytes];
            body.AsSpan().Fill(Filler);
            BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(NonceOffset), nonce);
            BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(IndexOffset), index);
            BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(TimestampOffset), Stopwatch.GetTimestamp());
            sends.Add(sender.SendAsync(to, body, cancellationToken: cancellationToken));
        }
        await Task.WhenAll(sends).ConfigureAwait(false);
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        int received = 0;
        int unacknowledged = 0;
        long lastSequence = 0;
        while (received < messages)
        {
            CloudEvent e = await receiver.Events.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (e is not MessageReceived message)
            {
                continue; // presence of the other clients signing in
            }
            long now = Stopwatch.GetTimestamp();
            lastSequence = message.ServerSequence;
            unacknowledged++;
            if (message.Body.Length == BodySizeInBytes && BinaryPrimitives.ReadInt64LittleEndian(message.Body.AsSpan(NonceOffset)) == nonce)
            {
                long sent = BinaryPrimitives.ReadInt64LittleEndian(message.Body.AsSpan(TimestampOffset));
                _latenciesMs[received++] = Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds;
                LastDeliveryTicks = now;
                _window.Release();
            }
            if (unacknowledged >= AckBatch || received == messages)
            {
                await receiver.AckAsync(lastSequence, cancellationToken).ConfigureAwait(false);
                unacknowledged = 0;
            }
        }
    }

    /// <summary>Releases the window's semaphore (the clients stay the caller's).</summary>
    public void Dispose() => _window.Dispose();
}
