using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Data.Sqlite;
using SecureComms.Client;
using SecureComms.Client.Engine;
using SecureComms.Client.Transport;
using SecureComms.Cloud.Proto;
using SecureComms.Crypto;
using SecureComms.Server.Services;
using SecureComms.Server.Tls;
using SecureComms.Signal;
using SecureComms.Signal.Stores;
using SecureComms.Signal.Wire;

namespace SecureComms.Cli.Demo;

/// <summary>
/// The <c>securecomms demo</c> scenario: a real <see cref="CloudServer"/> (TLS 1.3, SQLite file) on 127.0.0.1 and
/// an ephemeral port, in a fresh deployment directory, and two <see cref="CloudClient"/>s, alice and bob, that
/// register, sign in, become contacts, exchange presence and cloud messages, deliver a backlog to bob after he
/// was offline, and hold a Private Conversation (Signal: X3DH + Double Ratchet) whose stored bytes the
/// server cannot read. Every step's checks are recorded by the <see cref="DemoNarrator"/>.
/// </summary>
/// <remarks>Private message body (this demo's encoding, opaque to the server): one byte
/// <see cref="CiphertextMessageType"/> (2 Whisper, 3 PreKey) followed by the serialized Signal message.</remarks>
internal sealed class DemoScenario : IAsyncDisposable
{
    private const string Password = "correct horse battery staple";
    private const uint OneTimePreKeys = 5;
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(10);

    private readonly DemoNarrator _n;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<CloudClient> _clients = [];
    private X509Certificate2? _certificate;
    private Ed25519PrivateKey? _issuerKey;
    private CloudServer? _server;
    private Task? _run;

    private DemoScenario(DemoNarrator narrator, string directory)
    {
        _n = narrator;
        Directory = directory;
        Files = new DeploymentFiles(directory);
        DatabasePath = Path.Combine(directory, ServerCommand.DatabaseFileName);
    }

    /// <summary>The deployment directory (CA, server certificate, server.db).</summary>
    public string Directory { get; }

    private DeploymentFiles Files { get; }

    private string DatabasePath { get; }

    private int Port => _server!.LocalEndPoint.Port;

    /// <summary>Plays the whole scenario in <paramref name="directory"/> (created; left in place).</summary>
    public static async Task RunAsync(DemoNarrator narrator, string directory, Argon2idParameters? passwords = null)
    {
        await using var demo = new DemoScenario(narrator, directory);
        await demo.PlayAsync(passwords);
    }

    private async Task PlayAsync(Argon2idParameters? passwords)
    {
        // 1. The server.
        _n.Step("A cloud server on loopback");
        Argon2idParameters argon = passwords ?? Server.Accounts.PasswordVerifier.DefaultParameters;
        using (X509Certificate2 ca = Files.Initialize([], DateTimeOffset.UtcNow))
        {
            _n.Say("server", $"deployment created in {Directory} (CA + server certificate)");
            _n.Say("server", $"CA SHA-256 fingerprint {ca.GetCertHashString(HashAlgorithmName.SHA256)[..16]}… (clients pin it)");
        }
        _certificate = Files.LoadServerCertificate();
        _issuerKey = Files.LoadIssuerKey();
        _server = new CloudServer(_certificate, new IPEndPoint(IPAddress.Loopback, 0), DatabasePath, new CloudServerOptions
        {
            Listener = new Server.Transport.CloudListenerOptions { Log = static _ => { } },
            Services = new ServiceOptions { Log = static _ => { } },
            PasswordParameters = argon,
            Issuer = _issuerKey is null ? null : new Cloud.Certificates.CertificateIssuer(_issuerKey),
        });
        _run = _server.RunAsync(_stop.Token);
        _n.Say("server", $"listening on {_server.LocalEndPoint} (TLS 1.3 only), SQLite store {Path.GetFileName(DatabasePath)}");
        _n.Say("server", $"passwords: Argon2id '{argon.Name}' ({argon.MemoryKiB} KiB, {argon.Passes} passes)");
        _n.Check("the server is listening on an ephemeral loopback port", Port > 0);

        // 2. Register and sign in.
        _n.Step("Register and sign in");
        (CloudClient alice, _) = await RegisterAndSignInAsync("alice");
        (CloudClient bob, string bobToken) = await RegisterAndSignInAsync("bob");

        // 3. Contacts.
        _n.Step("Contact request");
        UserFound found = await alice.FindUserAsync("bob");
        _n.Say("alice", $"looks up 'bob': user id {found.UserId}");
        await alice.RequestContactAsync("bob");
        _n.Say("alice", "asks bob to become a contact");
        ContactRequested request = await ExpectAsync<ContactRequested>(bob, e => e.From == "alice");
        _n.Say("bob", $"is told: contact request from {request.From}");
        IReadOnlyList<ContactEntry> bobContacts = await bob.AcceptContactAsync("alice");
        _n.Say("bob", "accepts");
        IReadOnlyList<ContactEntry> aliceContacts = await alice.ListContactsAsync();
        _n.Check("alice and bob are accepted contacts on both sides",
            bobContacts.Any(c => c.Username == "alice" && c.Status == ContactStatus.Accepted)
            && aliceContacts.Any(c => c.Username == "bob" && c.Status == ContactStatus.Accepted));

        // 4. Presence.
        _n.Step("Presence");
        await alice.SetPresenceAsync(Presence.Away);
        _n.Say("alice", "sets her presence to AWAY");
        PresenceUpdated away = await ExpectAsync<PresenceUpdated>(bob, e => e.User == "alice" && e.Status == Presence.Away);
        _n.Say("bob", $"sees {away.User} is {Describe(away.Status)}");
        _n.Check("bob saw alice's AWAY", away.Status == Presence.Away);

        // 5. Cloud messages.
        _n.Step("Cloud messages (bob online: pushed)");
        const string hello = "Hi Bob! Lunch today?";
        MessageAccepted accepted = await alice.SendAsync("bob", Encoding.UTF8.GetBytes(hello));
        _n.Say("alice", $"sends \"{hello}\" (server sequence {accepted.ServerSequence})");
        MessageReceived pushed = await ExpectAsync<MessageReceived>(bob, e => e.From == "alice");
        string pushedText = Encoding.UTF8.GetString(pushed.Body);
        _n.Say("bob", $"receives \"{pushedText}\" from {pushed.From} (sequence {pushed.ServerSequence})");
        await bob.AckAsync(pushed.ServerSequence);
        _n.Say("bob", $"acknowledges up to {pushed.ServerSequence}: the server deletes it");
        _n.Check("bob received alice's message as sent", pushedText == hello && !pushed.Private);
        _n.Check("the server holds nothing for bob after the acknowledgement", await CountStoredForAsync("bob") == 0);

        // 6. Offline recipient and backlog.
        _n.Step("Bob goes offline; the backlog waits for him");
        await DisconnectAsync(bob);
        _n.Say("bob", "disconnects");
        PresenceUpdated offline = await ExpectAsync<PresenceUpdated>(alice, e => e.User == "bob" && e.Status == Presence.Offline);
        _n.Say("alice", $"sees {offline.User} is {Describe(offline.Status)}");
        _n.Check("alice saw bob go OFFLINE", offline.Status == Presence.Offline);
        string[] backlog = ["Are you there?", "I booked a table for noon.", "Call me when you're back."];
        foreach (string text in backlog)
        {
            MessageAccepted a = await alice.SendAsync("bob", Encoding.UTF8.GetBytes(text));
            _n.Say("alice", $"sends \"{text}\" (stored, sequence {a.ServerSequence})");
        }
        long stored = await CountStoredForAsync("bob");
        _n.Say("server", $"holds {stored} message(s) for bob in server.db");
        _n.Check("the server stored the 3 messages for offline bob", stored == backlog.Length);
        bob = await ConnectAsync();
        Authenticated again = await bob.AuthenticateAsync(bobToken);
        _n.Say("bob", $"reconnects and authenticates with his session token (as {again.Username})");
        var received = new List<MessageReceived>();
        for (int i = 0; i < backlog.Length; i++)
        {
            MessageReceived m = await ExpectAsync<MessageReceived>(bob, e => e.From == "alice");
            received.Add(m);
            _n.Say("bob", $"receives \"{Encoding.UTF8.GetString(m.Body)}\" (sequence {m.ServerSequence})");
        }
        await bob.AckAsync(received[^1].ServerSequence);
        _n.Say("bob", $"acknowledges up to {received[^1].ServerSequence}");
        _n.Check("the backlog arrived complete and in order",
            received.Select(m => Encoding.UTF8.GetString(m.Body)).SequenceEqual(backlog)
            && received.Zip(received.Skip(1)).All(p => p.First.ServerSequence < p.Second.ServerSequence));
        _n.Check("the server holds nothing for bob after the acknowledgement", await CountStoredForAsync("bob") == 0);
        await alice.SetPresenceAsync(Presence.Online);

        // 7. Private Conversation.
        _n.Step("Private Conversation (Signal): prekeys through the server");
        using var aliceKeys = new InMemorySignalProtocolStore(IdentityKeyPair.Generate(), NewRegistrationId());
        using var bobKeys = new InMemorySignalProtocolStore(IdentityKeyPair.Generate(), NewRegistrationId());
        var aliceSignal = new PrivateConversations(aliceKeys);
        var bobSignal = new PrivateConversations(bobKeys);
        PreKeysStored aliceStock = await alice.UploadPreKeysAsync(aliceSignal.BuildUpload(1, OneTimePreKeys, DateTimeOffset.UtcNow));
        _n.Say("alice", $"uploads her identity key, a signed prekey and {OneTimePreKeys} one-time prekeys (stock {aliceStock.Stock})");
        PreKeysStored bobStock = await bob.UploadPreKeysAsync(bobSignal.BuildUpload(1, OneTimePreKeys, DateTimeOffset.UtcNow));
        _n.Say("bob", $"uploads his identity key, a signed prekey and {OneTimePreKeys} one-time prekeys (stock {bobStock.Stock})");
        Bundle fetched = await alice.FetchBundleAsync("bob", PrivateConversations.DeviceId);
        _n.Say("alice", $"fetches bob's bundle: identity {Hex(fetched.IdentityKey.Span, 8)}, signed prekey #{fetched.SignedPreKey.Id}, one-time prekey #{fetched.OneTimePreKey?.Id}");
        _n.Check("bob's bundle from the server has a valid signature", PrivateConversations.ToPreKeyBundle(fetched).HasValidSignature());
        aliceSignal.StartSession(fetched);
        _n.Say("alice", "verifies the signed prekey and runs X3DH: a session with bob");

        _n.Step("Private Conversation: what the server stores");
        const string secret = "meet at noon";
        (MessageReceived toBob, byte[] storedToBob) = await SendPrivateAsync(alice, "alice", aliceSignal, bob, "bob", secret);
        string bobRead = bobSignal.Decrypt("alice", toBob.Body);
        _n.Say("bob", $"decrypts: \"{bobRead}\"");
        await bob.AckAsync(toBob.ServerSequence);
        _n.Check("the server's stored bytes do not contain the plaintext", !Contains(storedToBob, Encoding.UTF8.GetBytes(secret)));
        _n.Check("bob's decryption matches alice's plaintext", bobRead == secret);

        const string reply = "noon works, see you there";
        (MessageReceived toAlice, byte[] storedToAlice) = await SendPrivateAsync(bob, "bob", bobSignal, alice, "alice", reply);
        string aliceRead = aliceSignal.Decrypt("bob", toAlice.Body);
        _n.Say("alice", $"decrypts: \"{aliceRead}\"");
        await alice.AckAsync(toAlice.ServerSequence);
        _n.Check("the server's stored bytes of the reply do not contain its plaintext", !Contains(storedToAlice, Encoding.UTF8.GetBytes(reply)));
        _n.Check("alice's decryption matches bob's reply", aliceRead == reply);

        // 9. Identity certificates, for the direct channels to come.
        _n.Step("Identity certificates: the login server vouches for alice's key");
        Cloud.Certificates.IdentityCertificate certificate = await alice.RequestCertificateAsync(PrivateConversations.DeviceId);
        _n.Say("alice", $"asks for a certificate of her published identity key: {certificate.Username} (user {certificate.UserId}), key {Hex(certificate.IdentityKey, 8)}, valid until {certificate.NotAfter:u}");
        Ed25519PublicKey issuer = Files.LoadIssuerPublicKey();
        byte[] aliceKey = aliceKeys.GetIdentityKeyPair().PublicKey.Serialize();
        var verified = Cloud.Certificates.CertificateVerifier.Verify(certificate, issuer, "alice", aliceKey, DateTimeOffset.UtcNow,
            Cloud.Certificates.CertificateVerifier.DefaultClockSkew);
        _n.Say("bob", $"verifies it offline with the deployment's issuer key (issuer.pub): {verified.Status}");
        _n.Check("alice's certificate verifies for alice and her identity key", verified.IsValid);
        var misused = Cloud.Certificates.CertificateVerifier.Verify(certificate, issuer, "bob", aliceKey, DateTimeOffset.UtcNow,
            Cloud.Certificates.CertificateVerifier.DefaultClockSkew);
        _n.Say("bob", $"the same certificate presented as bob's: {misused.Status}");
        _n.Check("it does not verify for another user", !misused.IsValid);
    }

    private async Task<(CloudClient Client, string Token)> RegisterAndSignInAsync(string username)
    {
        await using (CloudClient first = await ConnectAsync())
        {
            await first.RegisterAsync(username, Password);
            _n.Say(username, "connects over TLS 1.3 (server certificate checked against the pinned CA) and registers");
            _clients.Remove(first);
        }
        CloudClient client = await ConnectAsync();
        SignedIn signedIn = await client.SignInAsync(username, Password);
        _n.Say(username, $"signs in (user id {signedIn.UserId}) and authenticates the connection with the session token");
        _n.Check($"{username} is signed in", client.Username == username);
        return (client, signedIn.Token);
    }

    private async Task<(MessageReceived Received, byte[] Stored)> SendPrivateAsync(CloudClient sender, string senderName, PrivateConversations signal,
        CloudClient recipient, string recipientName, string plaintext)
    {
        byte[] body = signal.Encrypt(recipientName, plaintext);
        var id = Guid.NewGuid();
        MessageAccepted accepted = await sender.SendAsync(recipientName, body, isPrivate: true, clientMessageId: id);
        _n.Say(senderName, $"encrypts \"{plaintext}\" ({(CiphertextMessageType)body[0]} message, {body.Length - 1} bytes) and sends it as a private message (sequence {accepted.ServerSequence})");
        MessageReceived received = await ExpectAsync<MessageReceived>(recipient, e => e.ClientMessageId == id);
        byte[] stored = await ReadStoredBodyAsync(accepted.ServerSequence);
        _n.Say("server", $"messages.body in server.db ({stored.Length} bytes): {Hex(stored, 32)}");
        _n.Say("server", $"as text: \"{Printable(stored, 48)}\"");
        _n.Check("the stored row is the flagged body, byte for byte", stored.Length == body.Length + 1 && stored[0] == 1 && stored.AsSpan(1).SequenceEqual(body));
        _n.Say(recipientName, $"receives a private message from {received.From} ({received.Body.Length} bytes)");
        _n.Check($"{recipientName} got it flagged private", received.Private);
        return (received, stored);
    }

    private static uint NewRegistrationId() => (uint)RandomNumberGenerator.GetInt32(1, 16381);

    private async Task<CloudClient> ConnectAsync()
    {
        using PinnedCa ca = PinnedCa.FromPemFile(Files.CaCertificatePath);
        CloudClient client = await CloudClient.ConnectAsync("127.0.0.1", Port, ca);
        _clients.Add(client);
        return client;
    }

    private async Task DisconnectAsync(CloudClient client)
    {
        _clients.Remove(client);
        await client.DisposeAsync();
    }

    private static async Task<T> ExpectAsync<T>(CloudClient client, Func<T, bool> match)
        where T : CloudEvent
    {
        using var deadline = new CancellationTokenSource(EventTimeout);
        try
        {
            while (true)
            {
                CloudEvent e = await client.Events.ReadAsync(deadline.Token);
                if (e is T typed && match(typed))
                {
                    return typed;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{client.Username} did not get the expected {typeof(T).Name} within {EventTimeout.TotalSeconds} s.");
        }
    }

    private SqliteConnection OpenDatabase()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private async Task<long> CountStoredForAsync(string username)
    {
        await using SqliteConnection db = OpenDatabase();
        await using SqliteCommand command = db.CreateCommand();
        command.CommandText = "SELECT count(*) FROM messages m JOIN accounts a ON a.user_id = m.recipient_id WHERE a.username = $name;";
        command.Parameters.AddWithValue("$name", username);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<byte[]> ReadStoredBodyAsync(long sequence)
    {
        await using SqliteConnection db = OpenDatabase();
        await using SqliteCommand command = db.CreateCommand();
        command.CommandText = "SELECT body FROM messages WHERE sequence = $sequence;";
        command.Parameters.AddWithValue("$sequence", sequence);
        return (byte[]?)await command.ExecuteScalarAsync() ?? throw new InvalidDataException("The message is not in the server's store.");
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    internal static string Hex(ReadOnlySpan<byte> bytes, int max) =>
        Convert.ToHexStringLower(bytes[..Math.Min(bytes.Length, max)]) + (bytes.Length > max ? "…" : "");

    private static string Printable(byte[] bytes, int max) =>
        new([.. bytes.Take(max).Select(b => b is >= 0x20 and < 0x7f ? (char)b : '.')]);

    private static string Describe(Presence presence) => presence switch
    {
        Presence.Online => "ONLINE",
        Presence.Away => "AWAY",
        Presence.Busy => "BUSY",
        _ => "OFFLINE",
    };

    public async ValueTask DisposeAsync()
    {
        foreach (CloudClient client in _clients)
        {
            await client.DisposeAsync();
        }
        _clients.Clear();
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run;
        }
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        _issuerKey?.Dispose();
        _certificate?.Dispose();
        SqliteConnection.ClearAllPools();
        _stop.Dispose();
    }
}
