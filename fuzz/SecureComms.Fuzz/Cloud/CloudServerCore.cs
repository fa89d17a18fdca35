using System.Net;
using Google.Protobuf;
using SecureComms.Cloud.Proto;
using SecureComms.Cloud.Certificates;
using SecureComms.Crypto;
using SecureComms.Server.Accounts;
using SecureComms.Server.Services;
using SecureComms.Server.Storage;
using SecureComms.Server.Transport;

namespace SecureComms.Fuzz.Cloud;

/// <summary>
/// The cloud service without its listener, for one fuzz input: a <see cref="SqliteServerStore"/> on a file, an
/// <see cref="AccountService"/>, a <see cref="PresenceHub"/> and every handler composed by
/// <see cref="CloudServer.CreateDispatcher"/> (with the fixture certificate issuer, <see cref="CloudKeys"/>), on a
/// <see cref="ManualClock"/>; and
/// <see cref="ConnectionCount"/> <see cref="Connection"/>s (no sockets) whose pushes are read straight from
/// their outgoing queues.
/// </summary>
/// <remarks>
/// <para><b>What is skipped</b> is what <see cref="ConnectionRunner"/> does before a handler: the frame size and
/// protobuf checks (the <c>cloud-frame</c> target's), the per-connection request rate limit and the
/// <c>request_id != 0</c> check. <see cref="Send(int, ClientFrame)"/> calls the dispatcher as the runner does, with the
/// connection's closing token, and sets the answer's request id.</para>
/// <para><b>Everything in memory is new</b> per core (throttle, rate limiters, sessions, calls, delivery
/// cursors): only the store file carries state from one core to the next.</para>
/// <para><b>Hazards.</b> Argon2id uses <see cref="FastPasswords"/>; a connection's queue holds
/// <see cref="OutgoingQueueCapacity"/> frames, more than the transport's 64, because pushes are drained only
/// after each request (a full queue would close the connection from inside a handler and detach its session
/// on a background thread, which would make runs differ).</para>
/// </remarks>
internal sealed class CloudServerCore : IDisposable
{
    /// <summary>Connections per core: 0 alice, 1 bob, 2 carol, 3 alice's second session, 4 and 5 anonymous
    /// (<see cref="CloudWorld"/> authenticates the first four).</summary>
    public const int ConnectionCount = 6;

    /// <summary>Outgoing frames a connection may hold between two drains: 4096.</summary>
    public const int OutgoingQueueCapacity = 4096;

    /// <summary>Cheap Argon2id (1 MiB, one pass), as the service tests use: the rules are the same, the cost is not.</summary>
    public static readonly Argon2idParameters FastPasswords = new("fuzz-fast", 1024, 1);

    private readonly SqliteServerStore _store;
    private readonly FrameDispatcher _dispatcher;
    private readonly Ed25519PrivateKey _issuerKey;
    private long _nextConnectionId;

    private CloudServerCore(string databasePath, DateTimeOffset now, bool create)
    {
        Clock = new ManualClock(now);
        _store = create ? SqliteServerStore.Create(databasePath, Clock) : SqliteServerStore.Open(databasePath, Clock);
        (CertificateIssuer issuer, _issuerKey) = CloudKeys.NewIssuer();
        try
        {
            var services = new ServiceOptions { TimeProvider = Clock, Log = static _ => { } };
            var accounts = new AccountService(_store, new PasswordVerifier(FastPasswords), new SignInThrottle(Clock), Clock);
            Hub = new PresenceHub(_store, services.Log, Clock);
            _dispatcher = CloudServer.CreateDispatcher(_store, accounts, Hub, services, issuer, Clock);
        }
        catch
        {
            _issuerKey.Dispose();
            _store.Dispose(); // else the file stays open in this process and the next input cannot open it
            throw;
        }
        for (int i = 0; i < ConnectionCount; i++)
        {
            Connections[i] = NewConnection(i);
        }
    }

    /// <summary>The clock of the store, the sessions, the rate limits and the ring timers.</summary>
    public ManualClock Clock { get; }

    /// <summary>The store (the oracles read it).</summary>
    public IServerStore Store => _store;

    /// <summary>Who is authenticated.</summary>
    public PresenceHub Hub { get; }

    /// <summary>The connections, by index.</summary>
    public Connection[] Connections { get; } = new Connection[ConnectionCount];

    /// <summary>A core over a new store file at <paramref name="databasePath"/>.</summary>
    public static CloudServerCore Create(string databasePath, DateTimeOffset now) => new(databasePath, now, create: true);

    /// <summary>A core over the existing store file at <paramref name="databasePath"/>.</summary>
    public static CloudServerCore Open(string databasePath, DateTimeOffset now) => new(databasePath, now, create: false);

    /// <summary>The answer of the handlers to <paramref name="request"/> from connection <paramref name="connection"/>,
    /// with its request id set. An exception of a handler escapes.</summary>
    public ServerFrame Send(int connection, ClientFrame request)
    {
        Connection from = Connections[connection];
        ServerFrame answer = _dispatcher.HandleAsync(from, request, from.Closing).AsTask().GetAwaiter().GetResult();
        answer.RequestId = request.RequestId;
        return answer;
    }

    /// <summary>A request from connection <paramref name="connection"/> with <paramref name="body"/> set.</summary>
    public ServerFrame Send(int connection, ulong requestId, IMessage body)
    {
        var request = new ClientFrame { RequestId = requestId };
        ClientFrame.Descriptor.Oneofs[0].Fields.Single(f => f.MessageType == body.Descriptor).Accessor.SetValue(request, body);
        return Send(connection, request);
    }

    /// <summary>The frames pushed to connection <paramref name="connection"/> since the last drain, in order.</summary>
    public List<ServerFrame> DrainPushes(int connection)
    {
        List<ServerFrame> pushes = [];
        while (Connections[connection].Outgoing.TryRead(out ServerFrame? frame))
        {
            pushes.Add(frame);
        }
        return pushes;
    }

    /// <summary>
    /// The client behind connection <paramref name="connection"/> goes away and comes back on a new, anonymous
    /// connection: the session is detached as the connection's close would detach it (its user's contacts told
    /// offline, its calls hung up), but on this thread and before this returns.
    /// </summary>
    public void Reconnect(int connection)
    {
        Connection old = Connections[connection];
        if (Hub.SessionOf(old) is { } session)
        {
            Hub.DetachAsync(session, CancellationToken.None).GetAwaiter().GetResult();
        }
        old.Dispose();
        Connections[connection] = NewConnection(connection);
    }

    /// <summary>Closes the store (the WAL is checkpointed into the file) and the connections.</summary>
    public void Dispose()
    {
        foreach (Connection connection in Connections)
        {
            connection?.Dispose();
        }
        _store.Dispose();
        _issuerKey.Dispose();
    }

    private Connection NewConnection(int index) =>
        new(++_nextConnectionId, new IPEndPoint(IPAddress.Parse($"10.0.0.{index + 1}"), 40000 + index), OutgoingQueueCapacity,
            CancellationToken.None);
}
