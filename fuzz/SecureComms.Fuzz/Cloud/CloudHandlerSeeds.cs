using Google.Protobuf;
using Google.Protobuf.Reflection;
using SecureComms.Cloud.Proto;
using SecureComms.Fuzz.Targets;
using Kind = SecureComms.Cloud.Proto.CallSignal.Types.Kind;

namespace SecureComms.Fuzz.Cloud;

/// <summary>
/// The seeds of <c>cloud-handlers</c>, written by <c>securecomms-fuzz --make-cloud-handler-seeds fuzz</c> (run from the
/// repository root): at least one request of every type that succeeds in <see cref="CloudWorld"/>, a few refusals,
/// and short stories (a call from invite to hang-up, a ring timeout, a reconnect, sign-in then authenticate).
/// </summary>
/// <remarks>
/// Deterministic (the world's tokens are named by index, not value). The generator runs every seed through the
/// target and checks that each request is answered as the seed intends, so a seed that stopped reaching its
/// handler's success path is noticed when the seeds are regenerated. A request <see cref="ClientFrame"/> has and
/// no seed here names gets <c>seed-new-FIELD</c>, an empty body from alice, answered anyhow: it is fuzzed from
/// the first regeneration, and deserves a real seed. Files not named <c>seed-*</c> (regressions) are kept.
/// </remarks>
internal static class CloudHandlerSeeds
{
    private const int Alice = 0, Bob = 1, Carol = 2, AliceSecond = 3, Anonymous = 4;

    /// <summary>Writes the seeds into <c>FUZZDIR/corpus/cloud-handlers/</c> after checking them; 1 when a check fails.</summary>
    public static int Write(string fuzzDirectory)
    {
        string folder = Path.Combine(fuzzDirectory, "corpus", CloudHandlersTarget.Name);
        Directory.CreateDirectory(folder);
        int failures = 0;
        foreach (Seed seed in Make())
        {
            var answers = new List<ServerFrame.BodyOneofCase>();
            CloudHandlersTarget.Run(seed.Bytes, (_, answer) => answers.Add(answer.BodyCase));
            if (seed.Expected is { } expected && !answers.SequenceEqual(expected))
            {
                Console.Error.WriteLine($"{seed.Name}: answered {string.Join(", ", answers)}; expected {string.Join(", ", expected)}");
                failures++;
                continue;
            }
            File.WriteAllBytes(Path.Combine(folder, seed.Name), seed.Bytes);
        }
        return failures == 0 ? 0 : 1;
    }

    private static List<Seed> Make()
    {
        const ServerFrame.BodyOneofCase Done = ServerFrame.BodyOneofCase.Done, Contacts = ServerFrame.BodyOneofCase.Contacts,
            Error = ServerFrame.BodyOneofCase.Error;
        List<Seed> seeds =
        [
            One("seed-ping", Anonymous, new Ping { Payload = ByteString.CopyFromUtf8("ping") }, ServerFrame.BodyOneofCase.Pong),
            One("seed-register", Anonymous, new Register { Username = K(KnownString.Dave), Password = K(KnownString.Password) }, Done),
            One("seed-register-taken", Anonymous, new Register { Username = K(KnownString.AliceUpper), Password = K(KnownString.Password) }, Error),
            One("seed-sign-in", Anonymous, new SignIn { Username = K(KnownString.Alice), Password = K(KnownString.Password) },
                ServerFrame.BodyOneofCase.SignedIn),
            One("seed-sign-in-wrong-password", Anonymous,
                new SignIn { Username = K(KnownString.Bob), Password = K(KnownString.OtherPassword) }, Error),
            One("seed-authenticate", Anonymous, new Authenticate { Token = K(KnownString.TokenCarol) }, ServerFrame.BodyOneofCase.Authenticated),
            One("seed-authenticate-twice", Alice, new Authenticate { Token = K(KnownString.TokenAlice) }, Error),
            One("seed-sign-out", Alice, new SignOut(), Done),
            One("seed-change-password", Alice,
                new ChangePassword { CurrentPassword = K(KnownString.Password), NewPassword = K(KnownString.OtherPassword) }, Done),
            One("seed-find-user", Carol, new FindUser { Username = K(KnownString.Bob) }, ServerFrame.BodyOneofCase.UserFound),
            One("seed-find-user-unknown", Carol, new FindUser { Username = K(KnownString.Dave) }, Error),
            One("seed-contact-request", Carol, new ContactRequest { Username = K(KnownString.Bob) }, Contacts),
            One("seed-contact-accept", Alice, new ContactAccept { Username = K(KnownString.Carol) }, Contacts),
            One("seed-contact-decline", AliceSecond, new ContactDecline { Username = K(KnownString.Carol) }, Contacts),
            One("seed-contact-block", Bob, new ContactBlock { Username = K(KnownString.Alice) }, Contacts),
            One("seed-list-contacts", Bob, new ListContacts(), Contacts),
            One("seed-list-contacts-anonymous", Anonymous, new ListContacts(), Error),
            One("seed-set-presence", Alice, new SetPresence { Status = Presence.Away }, Done),
            One("seed-send-message", Alice,
                new SendMessage { To = K(KnownString.Bob), ClientMessageId = Id(2), Body = ByteString.CopyFromUtf8("hi bob") },
                ServerFrame.BodyOneofCase.MessageAccepted),
            One("seed-send-message-not-contact", Carol,
                new SendMessage { To = K(KnownString.Bob), ClientMessageId = Id(2), Body = ByteString.CopyFromUtf8("hi") }, Error),
            One("seed-ack-messages", Alice, new AckMessages { UpToSequence = 1 }, Done),
            One("seed-upload-prekeys", Carol, new UploadPreKeys
            {
                DeviceId = 1,
                RegistrationId = 3333,
                IdentityKey = Id(2),
                OneTimePreKeys = { new OneTimePreKeyRecord { Id = 1, PublicKey = Id(0) } },
            }, ServerFrame.BodyOneofCase.PreKeysStored),
            One("seed-upload-prekeys-bad-signature", Carol, UploadWithBogusSignature(), Error),
            One("seed-request-certificate", Bob, new RequestCertificate { DeviceId = 1 }, ServerFrame.BodyOneofCase.CertificateIssued),
            One("seed-request-certificate-unpublished", Carol, new RequestCertificate { DeviceId = 1 }, Error),
            One("seed-fetch-bundle", Alice, new FetchBundle { Username = K(KnownString.Bob), DeviceId = 1 }, ServerFrame.BodyOneofCase.Bundle),
            One("seed-call-invite", Alice, Signal(Kind.Invite, KnownString.Bob, 1), Done),
            Story("seed-call-story", [Done, Done, Done, Done, Done],
                (Alice, Signal(Kind.Invite, KnownString.Bob, 1)), (Bob, Signal(Kind.Ringing, KnownString.Alice, 1)),
                (Bob, Signal(Kind.Accept, KnownString.Alice, 1)), (Alice, Signal(Kind.Candidates, KnownString.Bob, 1)),
                (Bob, Signal(Kind.HangUp, KnownString.Alice, 1))),
            Story("seed-call-blocked-mid-call", [Done, Done, Contacts, Done],
                (Alice, Signal(Kind.Invite, KnownString.Bob, 1)), (Bob, Signal(Kind.Accept, KnownString.Alice, 1)),
                (Bob, new ContactBlock { Username = K(KnownString.Alice) }), (Alice, Signal(Kind.HangUp, KnownString.Bob, 1))),
            Story("seed-call-glare", [Done, Done],
                (Alice, Signal(Kind.Invite, KnownString.Bob, 3)), (Bob, Signal(Kind.Invite, KnownString.Alice, 1))),
            new("seed-call-ring-timeout", [.. CloudHandlerInput.Request(Alice, Signal(Kind.Invite, KnownString.Bob, 1)),
                .. CloudHandlerInput.Action(CloudStepKind.AdvanceClock, 0),
                .. CloudHandlerInput.Request(Bob, Signal(Kind.Accept, KnownString.Alice, 1))],
                [Done, Error]),
            new("seed-session-expired", [.. CloudHandlerInput.Action(CloudStepKind.ExpireSessions, 0),
                .. CloudHandlerInput.Request(Alice, new ListContacts()),
                .. CloudHandlerInput.Request(Alice, new ListContacts())], [Error, Error]),
            Story("seed-sign-out-same-token", [ServerFrame.BodyOneofCase.Authenticated, Done, Error],
                (Anonymous, new Authenticate { Token = K(KnownString.TokenAlice) }), (Alice, new SignOut()), (Anonymous, new ListContacts())),
            new("seed-reconnect", [.. CloudHandlerInput.Action(CloudStepKind.Reconnect, Bob), .. CloudHandlerInput.Request(Bob, new ListContacts()),
                .. CloudHandlerInput.Request(Bob, new Authenticate { Token = K(KnownString.TokenBob) })],
                [Error, ServerFrame.BodyOneofCase.Authenticated]),
            Story("seed-sign-in-then-authenticate", [ServerFrame.BodyOneofCase.SignedIn, ServerFrame.BodyOneofCase.Authenticated, Contacts],
                (Anonymous, new SignIn { Username = K(KnownString.Carol), Password = K(KnownString.Password) }),
                (Anonymous, new Authenticate { Token = K(KnownString.LastIssuedToken) }), (Anonymous, new ListContacts())),
            new("seed-empty", [], []),
        ];
        HashSet<MessageDescriptor> covered = [.. seeds.SelectMany(s => s.Bodies)];
        foreach (FieldDescriptor field in CloudHandlerInput.Bodies.Where(f => !covered.Contains(f.MessageType)))
        {
            IMessage empty = field.MessageType.Parser.ParseFrom(ByteString.Empty);
            string name = $"seed-new-{field.Name.Replace('_', '-')}";
            seeds.Add(new Seed(name, CloudHandlerInput.Request(Alice, empty), Expected: null) { Bodies = [field.MessageType] });
        }
        return seeds;
    }

    /// <summary>Carol's upload with a signature of fixed bytes (so the seed file is the same on every run): it does not verify.</summary>
    private static UploadPreKeys UploadWithBogusSignature()
    {
        UploadPreKeys upload = CloudKeys.SignedUpload(2, 3333, 1);
        upload.SignedPreKey.Signature = ByteString.CopyFrom([.. Enumerable.Repeat((byte)0x5A, upload.SignedPreKey.Signature.Length)]);
        return upload;
    }

    private static string K(KnownString known) => CloudHandlerInput.Known(known);

    private static ByteString Id(byte known) => ByteString.CopyFrom(known);

    private static CallSignal Signal(Kind kind, KnownString peer, byte callId) =>
        new() { Kind = kind, Peer = K(peer), CallId = Id(callId), Payload = ByteString.CopyFromUtf8("sdp") };

    private static Seed One(string name, int connection, IMessage body, ServerFrame.BodyOneofCase expected) =>
        Story(name, [expected], (connection, body));

    private static Seed Story(string name, ServerFrame.BodyOneofCase[] expected, params (int Connection, IMessage Body)[] requests) =>
        new(name, [.. requests.SelectMany(r => CloudHandlerInput.Request(r.Connection, r.Body))], expected)
        {
            Bodies = [.. requests.Select(r => r.Body.Descriptor)],
        };

    /// <summary>A seed file: its name, bytes, and the answer body of each request (null: not checked).</summary>
    private sealed record Seed(string Name, byte[] Bytes, ServerFrame.BodyOneofCase[]? Expected)
    {
        public MessageDescriptor[] Bodies { get; init; } = [];
    }
}
