using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using SecureComms.Client;
using SecureComms.Client.Transport;
using SecureComms.Cloud.Proto;

namespace SecureComms.Cloud.Tests.Durability;

/// <summary>
/// One conversation's sending side in the SIGKILL run: a signed-in sender that sends its ordinals
/// 0..<see cref="Count"/>−1 to one recipient, pipelined in order on one connection with at most
/// <see cref="InFlight"/> unanswered, and records every acknowledgement (<see cref="MessageAccepted"/>).
/// </summary>
/// <remarks>
/// <para><b>Order on the wire.</b> <see cref="CloudClient.SendAsync"/> queues its frame on the connection's write
/// lock before its first real await, and the server answers one request at a time per connection in arrival
/// order; so calling it in ordinal order from one loop puts the messages on the wire, and into the server's
/// sequence, in ordinal order.</para>
/// <para><b>A connection that ends</b> (the server was killed) fails the sends in flight with
/// <see cref="CloudConnectionClosedException"/>: they stay in the client's <see cref="CloudClient.Outbox"/>, and
/// <see cref="BurstAsync"/> returns the first ordinal it did not issue.</para>
/// <para>Body: "<c>senderIndex:ordinal</c>" in UTF-8, so a recipient can tell conversation and position.</para>
/// </remarks>
internal sealed class BurstSender
{
    /// <summary>Messages sent and not yet answered on one connection: at most 32 (a client's bounded pipeline).</summary>
    public const int InFlight = 32;

    private readonly Guid[] _ids;
    private readonly Dictionary<Guid, int> _ordinalOf;

    public BurstSender(int index, string name, string recipient, int count)
    {
        Index = index;
        Name = name;
        Recipient = recipient;
        Count = count;
        _ids = [.. Enumerable.Range(0, count).Select(_ => Guid.NewGuid())];
        _ordinalOf = _ids.Select((id, ordinal) => (id, ordinal)).ToDictionary(p => p.id, p => p.ordinal);
    }

    public int Index { get; }

    public string Name { get; }

    public string Recipient { get; }

    /// <summary>Messages in this conversation.</summary>
    public int Count { get; }

    /// <summary>The session token from the first sign-in (a reconnecting client authenticates with it).</summary>
    public string Token { get; set; } = string.Empty;

    /// <summary>Ordinals whose acknowledgement reached this sender, with the server's sequence.</summary>
    public ConcurrentDictionary<int, long> Acknowledged { get; } = new();

    public static byte[] Body(int senderIndex, int ordinal) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{senderIndex}:{ordinal}"));

    public static (int SenderIndex, int Ordinal) Parse(byte[] body)
    {
        string[] parts = Encoding.UTF8.GetString(body).Split(':');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    public Guid IdOf(int ordinal) => _ids[ordinal];

    public int OrdinalOf(Guid id) => _ordinalOf[id];

    /// <summary>Records an acknowledgement; returns false if the same ordinal was acknowledged before with another sequence.</summary>
    public bool Record(MessageAccepted accepted)
    {
        int ordinal = _ordinalOf[new Guid(accepted.ClientMessageId.Span)];
        long sequence = Acknowledged.GetOrAdd(ordinal, accepted.ServerSequence);
        return sequence == accepted.ServerSequence;
    }

    /// <summary>
    /// Sends ordinals <paramref name="from"/>..<see cref="Count"/>−1 in order, at most <see cref="InFlight"/> at a
    /// time, calling <paramref name="onAcknowledged"/> after each acknowledgement. Stops issuing when the connection
    /// ends; returns the first ordinal not issued (<see cref="Count"/> when all were).
    /// </summary>
    public async Task<int> BurstAsync(CloudClient client, int from, Action onAcknowledged)
    {
        using var window = new SemaphoreSlim(InFlight);
        var inFlight = new List<Task>();
        int ordinal = from;
        for (; ordinal < Count; ordinal++)
        {
            await window.WaitAsync();
            if (client.Connection.Completion.IsCompleted)
            {
                window.Release();
                break;
            }
            inFlight.Add(SendOneAsync(client, ordinal, window, onAcknowledged));
        }
        await Task.WhenAll(inFlight);
        return ordinal;
    }

    private async Task SendOneAsync(CloudClient client, int ordinal, SemaphoreSlim window, Action onAcknowledged)
    {
        try
        {
            // Called synchronously from the loop: the frame is queued in ordinal order.
            MessageAccepted accepted = await client.SendAsync(Recipient, Body(Index, ordinal), clientMessageId: _ids[ordinal]);
            if (!Record(accepted))
            {
                throw new InvalidOperationException($"{Name}#{ordinal} acknowledged twice with different sequences");
            }
            onAcknowledged();
        }
        catch (CloudConnectionClosedException)
        {
            // The server went away: the message stays in the outbox.
        }
        finally
        {
            window.Release();
        }
    }
}
