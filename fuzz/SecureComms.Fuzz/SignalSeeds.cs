using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecureComms.Fuzz.Targets;
using SecureComms.Interop.Signal;
using SecureComms.Signal;
using SecureComms.Signal.Sessions;
using SecureComms.Signal.Stores;
using SecureComms.Signal.Wire;

namespace SecureComms.Fuzz;

/// <summary>
/// The seed generator of the Signal targets (<c>securecomms-fuzz --make-signal-seeds FUZZDIR</c>): runs a
/// real conversation and writes what it produced as seeds (<c>seed-*</c> files, replacing the previous
/// ones; <c>regression-*</c> files are kept), and Bob's exported state as
/// <c>SecureComms.Fuzz/Targets/SessionDecryptFixture.cs</c>. Keys are fresh on every run, so the fixture
/// and the <c>session-decrypt</c> seeds must be committed together; rebuild after running it.
/// </summary>
internal static class SignalSeeds
{
    private static readonly string[] Targets =
    [
        SignalMessageTarget.Name,
        PreKeySignalMessageTarget.Name,
        SessionRecordTarget.Name,
        SessionDecryptTarget.Name,
        ShimLineTarget.Name,
        SignalInteractionTarget.Name,
    ];

    /// <summary>Writes every seed and the fixture under <paramref name="fuzzDirectory"/>; 0 on success.</summary>
    internal static int Write(string fuzzDirectory)
    {
        string corpus = Path.Combine(fuzzDirectory, "corpus");
        foreach (string target in Targets)
        {
            string folder = Path.Combine(corpus, target);
            Directory.CreateDirectory(folder);
            foreach (string old in Directory.EnumerateFiles(folder, "seed-*"))
            {
                File.Delete(old);
            }
        }
        void Seed(string target, string name, byte[] bytes) => File.WriteAllBytes(Path.Combine(corpus, target, "seed-" + name), bytes);
        void TextSeed(string target, string name, string text) => Seed(target, name, Encoding.UTF8.GetBytes(text));

        Conversation c = Conversation.Run();

        // signal-message: real SignalMessages, then hand-made variants around the parser's branches.
        byte[] w1 = c.AliceWhispers[0].Serialized;
        Seed(SignalMessageTarget.Name, "whisper", w1);
        Seed(SignalMessageTarget.Name, "whisper-empty-plaintext", c.AliceWhispers[1].Serialized);
        Seed(SignalMessageTarget.Name, "bob-reply", c.BobReply.Serialized);
        Seed(SignalMessageTarget.Name, "inside-prekey-message", PreKeySignalMessage.Parse(c.AlicePreKeys[0].Serialized).Message.Serialized);
        Seed(SignalMessageTarget.Name, "version-0x34", [0x34, .. w1[1..]]);
        Seed(SignalMessageTarget.Name, "version-legacy", [0x23, .. w1[1..]]);
        Seed(SignalMessageTarget.Name, "too-short", w1[..8]);
        byte[] ratchetKey = Proto.Bytes(1, [IdentityKey.DjbType, .. new byte[32]]);
        byte[] mac = new byte[SignalMessage.MacSizeInBytes];
        Seed(SignalMessageTarget.Name, "handmade-unknown-field", [0x33, .. ratchetKey, .. Proto.Varint(2, 5), .. Proto.Varint(3, 4), .. Proto.Bytes(4, new byte[16]), .. Proto.Varint(15, 1), .. mac]);
        Seed(SignalMessageTarget.Name, "handmade-no-ciphertext", [0x33, .. ratchetKey, .. Proto.Varint(2, 5), .. mac]);
        Seed(SignalMessageTarget.Name, "handmade-key-type-0x06", [0x33, .. Proto.Bytes(1, [0x06, .. new byte[32]]), .. Proto.Varint(2, 0), .. Proto.Bytes(4, new byte[16]), .. mac]);

        // prekey-signal-message: real ones (with and without a one-time prekey), then variants.
        byte[] p1 = c.AlicePreKeys[0].Serialized;
        Seed(PreKeySignalMessageTarget.Name, "first", p1);
        Seed(PreKeySignalMessageTarget.Name, "second", c.AlicePreKeys[1].Serialized);
        Seed(PreKeySignalMessageTarget.Name, "new-session", c.NewSessionWithPreKey.Serialized);
        Seed(PreKeySignalMessageTarget.Name, "no-one-time-prekey", c.NewSessionWithoutPreKey.Serialized);
        Seed(PreKeySignalMessageTarget.Name, "version-0x34", [0x34, .. p1[1..]]);
        Seed(PreKeySignalMessageTarget.Name, "version-unknown", [0x43, .. p1[1..]]);
        byte[] identity = Proto.Bytes(3, c.AliceIdentity);
        byte[] baseKey = Proto.Bytes(2, c.AliceIdentity);
        Seed(PreKeySignalMessageTarget.Name, "handmade-no-message", [0x33, .. Proto.Varint(5, 1), .. Proto.Varint(6, 1), .. baseKey, .. identity]);
        Seed(PreKeySignalMessageTarget.Name, "handmade-bad-inner", [0x33, .. Proto.Varint(6, 1), .. baseKey, .. identity, .. Proto.Bytes(4, [0x33, 0x0a])]);

        // session-record: the records of both sides (current, archived, pending prekey, skipped keys), prekeys.
        Seed(SessionRecordTarget.Name, "bob-session", Convert.FromHexString(c.BobState.Session));
        Seed(SessionRecordTarget.Name, "alice-archived-pending", c.AliceRecord);
        Seed(SessionRecordTarget.Name, "bob-skipped-keys", c.BobRecordWithSkippedKeys);
        Seed(SessionRecordTarget.Name, "empty", []);
        Seed(SessionRecordTarget.Name, "prekey", Convert.FromHexString(c.BobState.PreKeys[0]));
        Seed(SessionRecordTarget.Name, "signed-prekey", Convert.FromHexString(c.BobState.SignedPreKeys[0]));

        // session-decrypt: type selector ‖ message; all but the last four decrypt at the fixture's Bob.
        Seed(SessionDecryptTarget.Name, "whisper-1", [2, .. c.AliceWhispers[0].Serialized]);
        Seed(SessionDecryptTarget.Name, "whisper-2-empty", [2, .. c.AliceWhispers[1].Serialized]);
        Seed(SessionDecryptTarget.Name, "whisper-3-long", [2, .. c.AliceWhispers[2].Serialized]);
        Seed(SessionDecryptTarget.Name, "prekey-second", [3, .. c.AlicePreKeys[1].Serialized]);
        Seed(SessionDecryptTarget.Name, "prekey-new-session", [3, .. c.NewSessionWithPreKey.Serialized]);
        Seed(SessionDecryptTarget.Name, "prekey-new-session-no-otk", [3, .. c.NewSessionWithoutPreKey.Serialized]);
        Seed(SessionDecryptTarget.Name, "refused-prekey-replay", [3, .. p1]);
        Seed(SessionDecryptTarget.Name, "refused-own-reply", [2, .. c.BobReply.Serialized]);
        Seed(SessionDecryptTarget.Name, "refused-wrong-type", [3, .. c.AliceWhispers[0].Serialized]);
        Seed(SessionDecryptTarget.Name, "refused-truncated", [2, .. c.AliceWhispers[0].Serialized[..^1]]);

        // shim-line: request lines (docs/shim.md), with a real bundle, key and signature from another shim.
        ShimLines(TextSeed);

        // signal-interaction: action scripts (see SignalInteractionTarget for the encoding).
        const byte AliceSends = 0x00, BobSends = 0x01, AliceOldest = 0x02, BobOldest = 0x03, AliceNewest = 0x04, BobNewest = 0x05,
            AliceAt = 0x06, BobAt = 0x07, AliceDrop = 0x08, BobDrop = 0x09, AliceReplay = 0x0A, BobReplay = 0x0B,
            AliceTamper = 0x0C, BobTamper = 0x0D, AliceReset = 0x0E, BobReset = 0x0F;
        Seed(SignalInteractionTarget.Name, "conversation", [AliceSends, BobOldest, BobSends, AliceOldest, AliceSends, AliceSends | 0x30, AliceSends, BobNewest, BobOldest, BobOldest, BobSends, BobSends, AliceOldest, AliceOldest]);
        Seed(SignalInteractionTarget.Name, "simultaneous-initiation", [AliceSends, BobSends, BobOldest, AliceOldest, AliceSends, BobOldest, BobSends, AliceOldest, AliceSends, BobOldest]);
        Seed(SignalInteractionTarget.Name, "replays", [AliceSends, BobOldest, BobReplay, 0, BobSends, AliceOldest, AliceReplay, 0, AliceSends, BobOldest, BobReplay, 1, BobReplay, 0]);
        Seed(SignalInteractionTarget.Name, "tampering", [AliceSends, BobTamper, 0, 7, 0, BobTamper, 0, 200, 1, BobOldest, BobSends, AliceTamper, 0, 40, 0, AliceOldest, AliceSends, BobTamper, 0, 90, 0, BobOldest]);
        Seed(SignalInteractionTarget.Name, "resets", [AliceSends, BobOldest, BobSends, AliceOldest, AliceReset, AliceSends, BobOldest, BobSends, AliceOldest, BobReset | 0x10, BobSends, AliceOldest, AliceSends, BobOldest]);
        Seed(SignalInteractionTarget.Name, "out-of-order-and-drops", [AliceSends, AliceSends, AliceSends, AliceSends, BobAt, 2, BobDrop, 0, BobNewest, BobOldest, BobSends, BobSends, BobSends, BobSends, AliceDrop, 1, AliceNewest, AliceAt, 1, AliceOldest]);
        Seed(SignalInteractionTarget.Name, "late-after-reset", [AliceSends, BobOldest, BobSends, AliceSends, AliceOldest, BobReset, BobSends, AliceOldest, BobOldest, AliceSends, BobOldest, AliceReplay, 0, BobReplay, 1]);

        File.WriteAllText(Path.Combine(fuzzDirectory, "SecureComms.Fuzz", "Targets", "SessionDecryptFixture.cs"), FixtureSource(c.BobState));
        Console.WriteLine($"wrote seeds for {string.Join(", ", Targets)} and SessionDecryptFixture.cs; rebuild, then replay the corpus");
        return 0;
    }

    /// <summary>The shim-line seeds.</summary>
    private static void ShimLines(Action<string, string, string> seed)
    {
        using var peer = new SignalShim();
        JsonObject Call(string line)
        {
            var reply = JsonNode.Parse(peer.Handle(line))!.AsObject();
            if (!reply["ok"]!.GetValue<bool>())
            {
                throw new InvalidOperationException($"peer shim refused {line}: {reply.ToJsonString()}");
            }
            return reply;
        }
        Call("""{"op":"init","name":"bob","registrationId":42,"deviceId":1}""");
        string bundle = Call("""{"op":"bundle","preKeyId":3,"signedPreKeyId":1,"oneTimePreKey":true}""")["bundle"]!.ToJsonString();
        string bundleNoOtk = Call("""{"op":"bundle","signedPreKeyId":1,"oneTimePreKey":false}""")["bundle"]!.ToJsonString();
        string key = JsonNode.Parse(bundle)!["identityKey"]!.GetValue<string>();
        string signature = Call("""{"op":"sign","message":"aGVsbG8="}""")["signature"]!.GetValue<string>();
        // A message from a third party to Bob: it names Bob's prekeys, which the fuzzed shim does not have.
        using var alice = new SignalShim();
        alice.Handle("""{"op":"init","name":"alice","registrationId":43,"deviceId":1}""");
        alice.Handle($$"""{"op":"process_bundle","peer":"bob","deviceId":1,"bundle":{{bundle}}}""");
        string body = JsonNode.Parse(alice.Handle("""{"op":"encrypt","peer":"bob","deviceId":1,"plaintext":"aGk="}"""))!["body"]!.GetValue<string>();

        string Lines(params string[] lines) => string.Join('\n', lines);
        string sessionLines = Lines(
            $$"""{"id":1,"op":"process_bundle","peer":"bob","deviceId":1,"bundle":{{bundle}}}""",
            """{"id":2,"op":"has_session","peer":"bob","deviceId":1}""",
            """{"id":3,"op":"encrypt","peer":"bob","deviceId":1,"plaintext":"aGVsbG8gYm9i"}""",
            """{"id":4,"op":"encrypt","peer":"bob","deviceId":1,"plaintext":""}""");
        seed(ShimLineTarget.Name, "session", sessionLines);
        seed(ShimLineTarget.Name, "session-no-one-time-prekey", Lines(
            $$"""{"op":"process_bundle","peer":"bob","deviceId":2,"bundle":{{bundleNoOtk}}}""",
            """{"op":"encrypt","peer":"bob","deviceId":2,"plaintext":"AA=="}"""));
        JsonObject tampered = JsonNode.Parse(bundle)!.AsObject();
        string bundleSignature = tampered["signedPreKeySignature"]!.GetValue<string>();
        tampered["signedPreKeySignature"] = string.Concat(bundleSignature.AsSpan(0, 10), bundleSignature[10] == 'A' ? "B" : "A", bundleSignature.AsSpan(11));
        seed(ShimLineTarget.Name, "bad-bundle-signature", $$"""{"op":"process_bundle","peer":"bob","deviceId":1,"bundle":{{tampered.ToJsonString()}}}""");
        seed(ShimLineTarget.Name, "bundle", Lines(
            """{"id":"b","op":"bundle","preKeyId":5,"signedPreKeyId":1,"oneTimePreKey":true}""",
            """{"op":"bundle","signedPreKeyId":1,"oneTimePreKey":false}""",
            """{"op":"bundle","preKeyId":4294967295,"signedPreKeyId":2,"oneTimePreKey":true}"""));
        seed(ShimLineTarget.Name, "sign-verify", Lines(
            """{"op":"sign","message":"aGVsbG8="}""",
            $$"""{"op":"verify","publicKey":"{{key}}","message":"aGVsbG8=","signature":"{{signature}}"}""",
            $$"""{"op":"verify","publicKey":"{{key}}","message":"aGVsbG8h","signature":"{{signature}}"}"""));
        seed(ShimLineTarget.Name, "fingerprint-trust", Lines(
            $$"""{"op":"fingerprint","localName":"alice","remoteName":"bob","remoteIdentityKey":"{{key}}"}""",
            $$"""{"op":"trust","peer":"bob","deviceId":1,"identityKey":"{{key}}"}""",
            """{"op":"has_session","peer":"bob","deviceId":1}"""));
        seed(ShimLineTarget.Name, "decrypt", Lines(
            $$"""{"id":[1,{"a":null}],"op":"decrypt","peer":"alice","deviceId":1,"type":3,"body":"{{body}}"}""",
            $$"""{"op":"decrypt","peer":"alice","deviceId":1,"type":2,"body":"{{body}}"}""",
            """{"op":"decrypt","peer":"alice","deviceId":1,"type":1,"body":""}"""));
        seed(ShimLineTarget.Name, "reinit", Lines(
            """{"op":"init","name":"again","registrationId":1,"deviceId":9}""",
            """{"op":"has_session","peer":"x","deviceId":0}"""));
        seed(ShimLineTarget.Name, "malformed", Lines(
            "not json",
            "[]",
            "{}",
            """{"op":"nope","id":null}""",
            """{"op":"encrypt"}""",
            """{"op":"init","name":"x","registrationId":-1,"deviceId":1}""",
            "",
            """{"op":"verify","publicKey":"BQ==","message":"","signature":""}"""));
        seed(ShimLineTarget.Name, "deep-id", """{"id":[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]],"op":"sign","message":""}""");
        seed(ShimLineTarget.Name, "escapes", """{"id":"\u00e9\ud83d\ude00","op":"sign","message":"aGk=","extra":"\u0000"}""");
    }

    private static string FixtureSource(SessionDecryptState s)
    {
        var source = new StringBuilder();
        source.AppendLine("// <auto-generated>");
        source.AppendLine("// Written by `securecomms-fuzz --make-signal-seeds fuzz` (SignalSeeds.cs), together with the seeds in");
        source.AppendLine("// fuzz/corpus/session-decrypt/: regenerate both at once. Test keys of a throwaway conversation.");
        source.AppendLine("// </auto-generated>");
        source.AppendLine();
        source.AppendLine("namespace SecureComms.Fuzz.Targets;");
        source.AppendLine();
        source.AppendLine("/// <summary>Bob's exported state for <see cref=\"SessionDecryptTarget\"/>.</summary>");
        source.AppendLine("internal static class SessionDecryptFixture");
        source.AppendLine("{");
        source.AppendLine("    /// <summary>The state.</summary>");
        source.AppendLine("    internal static readonly SessionDecryptState State = new(");
        source.AppendLine($"        \"{s.IdentityScalar}\",");
        source.AppendLine($"        {s.RegistrationId},");
        source.AppendLine($"        \"{s.AliceIdentity}\",");
        source.AppendLine($"        \"{s.Session}\",");
        source.AppendLine($"        [{string.Join(", ", s.PreKeys.Select(h => $"\"{h}\""))}],");
        source.AppendLine($"        [{string.Join(", ", s.SignedPreKeys.Select(h => $"\"{h}\""))}],");
        source.AppendLine("        [");
        foreach ((string message, string plaintext) in s.Authentic)
        {
            source.AppendLine($"            (\"{message}\", \"{plaintext}\"),");
        }
        source.AppendLine("        ]);");
        source.AppendLine("}");
        return source.ToString();
    }

    /// <summary>What the conversation produced.</summary>
    private sealed record Conversation(
        SessionDecryptState BobState,
        byte[] AliceIdentity,
        IReadOnlyList<PreKeySignalMessage> AlicePreKeys,
        SignalMessage BobReply,
        IReadOnlyList<SignalMessage> AliceWhispers,
        PreKeySignalMessage NewSessionWithPreKey,
        PreKeySignalMessage NewSessionWithoutPreKey,
        byte[] AliceRecord,
        byte[] BobRecordWithSkippedKeys)
    {
        /// <summary>
        /// Bob publishes bundles; Alice starts a session and sends two PreKeySignalMessages; Bob decrypts the
        /// first and replies; Alice decrypts the reply. Bob's state is exported there. Alice then sends three
        /// SignalMessages, and starts two new sessions (with and without a one-time prekey), one message each.
        /// </summary>
        public static Conversation Run()
        {
            using var bob = new SignalParty("bob", IdentityKeyPair.Generate(), 4242);
            using var alice = new SignalParty("alice", IdentityKeyPair.Generate(), 1717);
            var first = bob.NewBundle(oneTimePreKey: true);
            var second = bob.NewBundle(oneTimePreKey: true);
            var third = bob.NewBundle(oneTimePreKey: false);

            alice.Cipher.ProcessPreKeyBundle(bob.Address, first);
            var authentic = new List<(byte[] Message, byte[] Plaintext)>();
            PreKeySignalMessage AlicePreKey(string text)
            {
                byte[] plaintext = Encoding.UTF8.GetBytes(text);
                CiphertextMessage sent = alice.Cipher.Encrypt(bob.Address, plaintext);
                Require(sent.Type == CiphertextMessageType.PreKey, "Alice sends a PreKeySignalMessage");
                var message = PreKeySignalMessage.Parse(sent.Serialized);
                authentic.Add((message.Message.Serialized, plaintext));
                return message;
            }
            SignalMessage AliceWhisper(byte[] plaintext)
            {
                CiphertextMessage sent = alice.Cipher.Encrypt(bob.Address, plaintext);
                Require(sent.Type == CiphertextMessageType.Whisper, "Alice sends a SignalMessage");
                authentic.Add((sent.Serialized, plaintext));
                return SignalMessage.Parse(sent.Serialized);
            }
            PreKeySignalMessage[] preKeys = [AlicePreKey("Bob, it is Alice: PreKeySignalMessage 1"), AlicePreKey("and PreKeySignalMessage 2")];
            Require(Encoding.UTF8.GetString(bob.Cipher.Decrypt(alice.Address, preKeys[0])).EndsWith(" 1", StringComparison.Ordinal), "Bob decrypts Alice's first message");
            CiphertextMessage reply = bob.Cipher.Encrypt(alice.Address, "Hello Alice, Bob here"u8);
            Require(reply.Type == CiphertextMessageType.Whisper, "Bob replies with a SignalMessage");
            alice.Cipher.Decrypt(bob.Address, CiphertextMessageType.Whisper, reply.Serialized);

            authentic.RemoveAt(0); // Bob decrypted it already: from the snapshot on, it is a replay.
            SessionDecryptState Export() => new(
                Convert.ToHexString(bob.ExportIdentityScalar()),
                bob.Store.GetLocalRegistrationId(),
                Convert.ToHexString(alice.Identity.Serialize()),
                Convert.ToHexString(bob.SessionBytes(alice.Address)!),
                [.. bob.PreKeyIds.Select(id => bob.Store.LoadPreKey(id)).OfType<PreKeyRecord>().Select(r => Convert.ToHexString(r.Serialize()))],
                [.. bob.SignedPreKeyIds.Select(id => Convert.ToHexString(bob.Store.LoadSignedPreKey(id)!.Serialize()))],
                [.. authentic.Select(a => (Convert.ToHexString(a.Message), Convert.ToHexString(a.Plaintext)))]);

            SignalMessage[] whispers = [AliceWhisper("A SignalMessage after Bob's reply"u8.ToArray()), AliceWhisper([]), AliceWhisper([.. Enumerable.Range(0, 200).Select(i => (byte)i)])];
            alice.ArchiveSession(bob.Address);
            alice.Cipher.ProcessPreKeyBundle(bob.Address, second);
            PreKeySignalMessage withPreKey = AlicePreKey("A new session, with a one-time prekey");
            alice.ArchiveSession(bob.Address);
            alice.Cipher.ProcessPreKeyBundle(bob.Address, third);
            PreKeySignalMessage withoutPreKey = AlicePreKey("A new session, signed prekey only");
            SessionDecryptState state = Export();

            // Every authentic message decrypts at a Bob rebuilt from the export, as the target builds him.
            byte[] skipped = [];
            foreach ((string hex, string plaintextHex) in state.Authentic)
            {
                using SignalParty rebuilt = SessionDecryptTarget.Bob(state);
                byte[] message = Convert.FromHexString(hex);
                PreKeySignalMessage? wrapper = new[] { preKeys[1], withPreKey, withoutPreKey }.FirstOrDefault(m => m.Message.Serialized.AsSpan().SequenceEqual(message));
                byte[] plaintext = wrapper is null
                    ? rebuilt.Cipher.Decrypt(SessionDecryptTarget.Alice, CiphertextMessageType.Whisper, message)
                    : rebuilt.Cipher.Decrypt(SessionDecryptTarget.Alice, wrapper);
                Require(plaintext.AsSpan().SequenceEqual(Convert.FromHexString(plaintextHex)), "an authentic message decrypts at the rebuilt Bob");
                if (message.AsSpan().SequenceEqual(whispers[2].Serialized))
                {
                    skipped = rebuilt.SessionBytes(SessionDecryptTarget.Alice)!;
                }
            }
            return new Conversation(
                state,
                alice.Identity.Serialize(),
                preKeys,
                SignalMessage.Parse(reply.Serialized),
                whispers,
                withPreKey,
                withoutPreKey,
                alice.SessionBytes(bob.Address)!,
                skipped);
        }

        private static void Require(bool holds, string what)
        {
            if (!holds)
            {
                throw new InvalidOperationException($"seed generation: expected that {what}");
            }
        }
    }

    /// <summary>Hand-made protobuf fields.</summary>
    private static class Proto
    {
        public static byte[] Varint(int field, ulong value) => [.. Tag(field, 0), .. Leb128(value)];

        public static byte[] Bytes(int field, byte[] value) => [.. Tag(field, 2), .. Leb128((ulong)value.Length), .. value];

        private static byte[] Tag(int field, int wireType) => Leb128((ulong)((field << 3) | wireType));

        private static byte[] Leb128(ulong value)
        {
            var bytes = new List<byte>();
            do
            {
                byte b = (byte)(value & 0x7F);
                value >>= 7;
                bytes.Add(value == 0 ? b : (byte)(b | 0x80));
            }
            while (value != 0);
            return [.. bytes];
        }
    }
}
