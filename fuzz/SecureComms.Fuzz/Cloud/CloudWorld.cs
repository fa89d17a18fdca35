using Google.Protobuf;
using SecureComms.Cloud.Proto;

namespace SecureComms.Fuzz.Cloud;

/// <summary>
/// The known world every <c>cloud-handlers</c> input starts from, built once per process through the handlers
/// themselves and kept as a pristine store file; <see cref="Open"/> copies it for each input.
/// </summary>
/// <remarks>
/// <para><b>The world.</b> alice, bob and carol registered (password <see cref="Password"/>); alice and bob
/// accepted contacts; carol's request to alice pending; alice (device 1, 3 one-time prekeys) and bob (device 1,
/// <see cref="BobOneTimePreKeys"/>, so that one fetch leaves his stock low) uploaded prekeys signed by their known
/// identities (<see cref="CloudKeys"/>); carol published nothing; one message from bob waits for alice.
/// Sessions: alice twice (connections 0 and 3), bob (1), carol (2); connections 4 and 5 stay anonymous. "dave" is
/// a valid name that nobody registered.</para>
/// <para><b>Determinism.</b> Each input gets a byte copy of the pristine file (sequence counters included), a new
/// <see cref="CloudServerCore"/> and the same clock instant, so an input runs the same way every time, in any
/// order. The session tokens are random per process, but inputs name them by index
/// (<see cref="KnownStrings"/>), never by value.</para>
/// <para><b>Files</b> live in <c>/dev/shm</c> when there is one (the store fsyncs every commit, a no-op in
/// memory), else in the temporary folder, in a folder per process, deleted at exit (not after a crash: a
/// campaign's crashing children leave a few hundred KiB each).</para>
/// </remarks>
internal static class CloudWorld
{
    /// <summary>The password of every account of the world (meets the password policy).</summary>
    public const string Password = "correct horse battery staple";

    /// <summary>Another acceptable password, for ChangePassword and Register.</summary>
    public const string OtherPassword = "another horse jumps the fence";

    /// <summary>One-time prekeys bob uploads: the low-stock threshold (10) plus one.</summary>
    public const int BobOneTimePreKeys = 11;

    /// <summary>The instant the world is built at; each input starts one minute later.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The users of the world, by the connection index of their first session.</summary>
    public static readonly string[] Users = ["alice", "bob", "carol"];

    /// <summary>The user of each authenticated connection (0 to 3).</summary>
    public static readonly string[] SessionUsers = ["alice", "bob", "carol", "alice"];

    /// <summary>The client message id of bob's waiting message.</summary>
    public static readonly byte[] WaitingMessageId = [.. Enumerable.Repeat((byte)0x42, 16)];

    private static readonly Lazy<Pristine> World = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The strings a fuzzed one-character string field stands for, indexed by <see cref="KnownString"/>: the users
    /// (also in another case), a name nobody registered, the passwords, the world's session tokens, the last
    /// token a SignIn of this input issued (empty before one), and the empty string.
    /// </summary>
    public static IReadOnlyList<string> KnownStrings(string lastIssuedToken)
    {
        string[] tokens = World.Value.Tokens;
        return ["alice", "bob", "carol", "dave", "Alice", Password, OtherPassword, tokens[0], tokens[1], tokens[2], tokens[3], lastIssuedToken, ""];
    }

    /// <summary>The 16-byte ids a fuzzed one-byte bytes field stands for (message and call ids; low and high, for
    /// the call glare rule).</summary>
    public static IReadOnlyList<byte[]> KnownIds { get; } =
        [WaitingMessageId, [.. Enumerable.Repeat((byte)0x00, 16)], [.. Enumerable.Repeat((byte)0x01, 16)], [.. Enumerable.Repeat((byte)0xFF, 16)]];

    /// <summary>A core over a fresh copy of the world, its connections 0 to 3 authenticated and their pushes
    /// (alice's backlog) drained.</summary>
    public static CloudServerCore Open()
    {
        Pristine world = World.Value;
        foreach (string leftover in new[] { world.WorkPath + "-wal", world.WorkPath + "-shm" })
        {
            File.Delete(leftover); // only after a crash that skipped the store's close
        }
        File.Copy(world.PristinePath, world.WorkPath, overwrite: true);
        CloudServerCore core = CloudServerCore.Open(world.WorkPath, Epoch.AddMinutes(1));
        try
        {
            Authenticate(core, world.Tokens);
            return core;
        }
        catch
        {
            core.Dispose();
            throw;
        }
    }

    /// <summary>The store file an open core works on.</summary>
    public static string WorkPath => World.Value.WorkPath;

    private static void Authenticate(CloudServerCore core, string[] tokens)
    {
        for (int i = 0; i < tokens.Length; i++)
        {
            Expect(core.Send(i, 1, new Authenticate { Token = tokens[i] }), ServerFrame.BodyOneofCase.Authenticated, "authenticate");
        }
        for (int i = 0; i < CloudServerCore.ConnectionCount; i++)
        {
            core.DrainPushes(i);
        }
    }

    private static Pristine Build()
    {
        string directory = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(),
            $"securecomms-fuzz-cloud-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(directory);
        string pristine = Path.Combine(directory, "pristine.db");
        string[] tokens = new string[SessionUsers.Length];
        using (CloudServerCore core = CloudServerCore.Create(pristine, Epoch))
        {
            const int Anonymous = 4;
            foreach (string user in Users)
            {
                Expect(core.Send(Anonymous, 1, new Register { Username = user, Password = Password }), ServerFrame.BodyOneofCase.Done, "register");
            }
            for (int i = 0; i < SessionUsers.Length; i++)
            {
                ServerFrame signedIn = Expect(core.Send(Anonymous, 1, new SignIn { Username = SessionUsers[i], Password = Password }),
                    ServerFrame.BodyOneofCase.SignedIn, "sign in");
                tokens[i] = signedIn.SignedIn.Token;
            }
            Authenticate(core, tokens);
            Expect(core.Send(0, 1, new ContactRequest { Username = "bob" }), ServerFrame.BodyOneofCase.Contacts, "request bob");
            Expect(core.Send(1, 1, new ContactAccept { Username = "alice" }), ServerFrame.BodyOneofCase.Contacts, "accept alice");
            Expect(core.Send(2, 1, new ContactRequest { Username = "alice" }), ServerFrame.BodyOneofCase.Contacts, "request alice");
            Expect(core.Send(0, 1, CloudKeys.SignedUpload(0, 1111, 3)), ServerFrame.BodyOneofCase.PreKeysStored, "alice's prekeys");
            Expect(core.Send(1, 1, CloudKeys.SignedUpload(1, 2222, BobOneTimePreKeys)), ServerFrame.BodyOneofCase.PreKeysStored, "bob's prekeys");
            Expect(core.Send(1, 1, new SendMessage
            {
                To = "alice",
                ClientMessageId = ByteString.CopyFrom(WaitingMessageId),
                Body = ByteString.CopyFromUtf8("hello alice"),
            }), ServerFrame.BodyOneofCase.MessageAccepted, "message to alice");
        }
        return new Pristine(pristine, Path.Combine(directory, "work.db"), tokens);
    }

    private static ServerFrame Expect(ServerFrame answer, ServerFrame.BodyOneofCase expected, string step) =>
        answer.BodyCase == expected
            ? answer
            : throw new InvalidOperationException(
                $"cloud-handlers world setup, {step}: answered {answer.BodyCase} {answer.Error?.Code}, expected {expected}");

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort at exit.
        }
    }

    /// <summary>The pristine file, the per-input copy, and the world's session tokens (by connection index).</summary>
    private sealed record Pristine(string PristinePath, string WorkPath, string[] Tokens);
}

/// <summary>The indexes of <see cref="CloudWorld.KnownStrings"/>.</summary>
internal enum KnownString
{
    /// <summary>"alice".</summary>
    Alice,

    /// <summary>"bob".</summary>
    Bob,

    /// <summary>"carol".</summary>
    Carol,

    /// <summary>"dave", a valid name nobody registered.</summary>
    Dave,

    /// <summary>"Alice": alice in another case (names are normalized).</summary>
    AliceUpper,

    /// <summary><see cref="CloudWorld.Password"/>.</summary>
    Password,

    /// <summary><see cref="CloudWorld.OtherPassword"/>.</summary>
    OtherPassword,

    /// <summary>The token of connection 0's session (alice).</summary>
    TokenAlice,

    /// <summary>The token of connection 1's session (bob).</summary>
    TokenBob,

    /// <summary>The token of connection 2's session (carol).</summary>
    TokenCarol,

    /// <summary>The token of connection 3's session (alice's second).</summary>
    TokenAliceSecond,

    /// <summary>The token the last successful SignIn of this input issued (empty before one).</summary>
    LastIssuedToken,

    /// <summary>The empty string.</summary>
    Empty,

    /// <summary>How many known strings there are.</summary>
    Count,
}
