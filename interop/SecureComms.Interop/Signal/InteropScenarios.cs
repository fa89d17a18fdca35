using System.Text;
using System.Text.Json.Nodes;
using SecureComms.Signal;
using SecureComms.Signal.Fingerprints;

namespace SecureComms.Interop.Signal;

/// <summary>A check of an interop scenario did not hold.</summary>
public sealed class ScenarioFailedException(string message) : Exception(message)
{
    /// <summary>Not for use.</summary>
    public ScenarioFailedException()
        : this("Scenario failed.")
    {
    }

    /// <summary>Not for use.</summary>
    public ScenarioFailedException(string message, Exception innerException)
        : this(message + " " + innerException?.Message)
    {
    }
}

/// <summary>One interop scenario between an initiator (Alice) and a responder (Bob), each played by some shim.</summary>
/// <param name="Name">The scenario's name in reports.</param>
/// <param name="Run">Plays it on two freshly initialised parties; throws <see cref="ScenarioFailedException"/> on a failed check.</param>
public sealed record InteropScenario(string Name, Action<ShimParty, ShimParty> Run);

/// <summary>
/// The scenarios the issue names, played through the shim protocol only, so that any two implementations
/// can be paired: first message each way, long alternating conversations, out-of-order and dropped
/// messages, a message far in the future (at the limit and one past it), duplicates, simultaneous
/// initiation, a session reset, an identity change, safety numbers, XEdDSA both ways.
/// </summary>
public static class InteropScenarios
{
    /// <summary>Messages sent before a far-future one: the sender's chain then jumps exactly the limit.</summary>
    public const int FarFutureCount = SessionLimits.MaxForwardJumps + 2;

    /// <summary>Every scenario, in report order.</summary>
    public static IReadOnlyList<InteropScenario> All { get; } =
    [
        new("first_message", (a, b) => FirstMessage(a, b, oneTimePreKey: true)),
        new("first_message_without_one_time_prekey", (a, b) => FirstMessage(a, b, oneTimePreKey: false)),
        new("long_alternating_conversation", LongConversation),
        new("out_of_order_and_dropped", OutOfOrderAndDropped),
        new("duplicate_refused", Duplicate),
        new("far_future_limit", FarFuture),
        new("simultaneous_initiation", SimultaneousInitiation),
        new("session_reset", SessionReset),
        new("identity_change_on_bundle", IdentityChangeOnBundle),
        new("identity_change_on_prekey_message", IdentityChangeOnPreKeyMessage),
        new("bad_signed_prekey_signature", BadSignature),
        new("safety_numbers_equal", SafetyNumbers),
        new("xeddsa_both_ways", XEdDsaBothWays),
    ];

    /// <summary>Bob's bundle processed by Alice, her first message (type 3) and his reply (type 2).</summary>
    private static void Establish(ShimParty alice, ShimParty bob, bool oneTimePreKey = true)
    {
        Expect(alice.ProcessBundle(bob, bob.Bundle(31, 17, oneTimePreKey)), "process_bundle");
        Sent first = alice.Encrypt(bob, "hello bob");
        Expect(first.Type == 3, $"first message has type {first.Type}, not 3 (PreKeySignalMessage)");
        Deliver(alice, bob, first);
        Sent reply = bob.Encrypt(alice, "hello alice");
        Expect(reply.Type == 2, $"reply has type {reply.Type}, not 2 (SignalMessage)");
        Deliver(bob, alice, reply);
    }

    private static void FirstMessage(ShimParty alice, ShimParty bob, bool oneTimePreKey)
    {
        Establish(alice, bob, oneTimePreKey);
        Sent after = alice.Encrypt(bob, "now a SignalMessage");
        Expect(after.Type == 2, $"after the reply Alice still sends type {after.Type}");
        Deliver(alice, bob, after);
    }

    private static void LongConversation(ShimParty alice, ShimParty bob)
    {
        Establish(alice, bob);
        for (int round = 0; round < 12; round++)
        {
            (ShimParty from, ShimParty to) = round % 2 == 0 ? (alice, bob) : (bob, alice);
            for (int i = 0; i <= round % 4; i++)
            {
                Deliver(from, to, from.Encrypt(to, $"round {round} message {i} from {from.Name}"));
            }
        }
    }

    private static void OutOfOrderAndDropped(ShimParty alice, ShimParty bob)
    {
        Establish(alice, bob);
        var burst = Enumerable.Range(0, 8).Select(i => alice.Encrypt(bob, $"burst {i}")).ToList();
        foreach (int i in new[] { 7, 2, 5, 0 })
        {
            Deliver(alice, bob, burst[i]);
        }
        // 1, 3, 4 and 6 are still in flight; a ratchet step happens in between.
        Deliver(bob, alice, bob.Encrypt(alice, "reply during the burst"));
        Sent next = alice.Encrypt(bob, "after the ratchet step");
        Deliver(alice, bob, next);
        foreach (int i in new[] { 4, 1, 6 })
        {
            Deliver(alice, bob, burst[i]); // late messages of the previous chain
        }
        // burst[3] is dropped for good: the conversation goes on without it.
        Deliver(bob, alice, bob.Encrypt(alice, "still talking"));
    }

    private static void Duplicate(ShimParty alice, ShimParty bob)
    {
        Establish(alice, bob);
        Sent message = alice.Encrypt(bob, "once only");
        Deliver(alice, bob, message);
        ShimReply again = bob.Decrypt(alice, message);
        Expect(!again.Ok, "a replayed message decrypted twice");
        Expect(again.Error == "DuplicateMessage", $"a replayed message was refused as {again}, not DuplicateMessage");
    }

    private static void FarFuture(ShimParty alice, ShimParty bob)
    {
        Establish(alice, bob);
        var messages = new Sent[FarFutureCount];
        for (int i = 0; i < messages.Length; i++)
        {
            messages[i] = alice.Encrypt(bob, $"m{i}");
        }
        ShimReply tooFar = bob.Decrypt(alice, messages[^1]);
        Expect(!tooFar.Ok, $"a jump of {SessionLimits.MaxForwardJumps + 1} was accepted");
        Deliver(alice, bob, messages[^2]); // a jump of exactly the limit
        Deliver(alice, bob, messages[^1]); // and the refused one, now next in line
    }

    private static void SimultaneousInitiation(ShimParty alice, ShimParty bob)
    {
        Expect(alice.ProcessBundle(bob, bob.Bundle(41, 5, true)), "alice process_bundle");
        Expect(bob.ProcessBundle(alice, alice.Bundle(42, 6, true)), "bob process_bundle");
        Sent fromAlice = alice.Encrypt(bob, "alice first");
        Sent fromBob = bob.Encrypt(alice, "bob first");
        Deliver(alice, bob, fromAlice);
        Deliver(bob, alice, fromBob);
        // Each side's current session now differs; the next messages make them converge.
        Deliver(alice, bob, alice.Encrypt(bob, "alice second"));
        Deliver(bob, alice, bob.Encrypt(alice, "bob second"));
        for (int i = 0; i < 4; i++)
        {
            Sent a = alice.Encrypt(bob, $"converged a{i}");
            Expect(a.Type == 2, $"Alice still sends type {a.Type} after convergence");
            Deliver(alice, bob, a);
            Deliver(bob, alice, bob.Encrypt(alice, $"converged b{i}"));
        }
    }

    private static void SessionReset(ShimParty alice, ShimParty bob)
    {
        Establish(alice, bob);
        Sent late = alice.Encrypt(bob, "sent before the reset");
        Expect(alice.ProcessBundle(bob, bob.Bundle(51, 18, true)), "process_bundle for the reset");
        Sent restart = alice.Encrypt(bob, "new session");
        Expect(restart.Type == 3, "the reset does not start with a PreKeySignalMessage");
        Deliver(alice, bob, restart);
        Deliver(bob, alice, bob.Encrypt(alice, "reply in the new session"));
        Deliver(alice, bob, late); // the archived session still decrypts its late message
        Deliver(alice, bob, alice.Encrypt(bob, "after the late one"));
        Deliver(bob, alice, bob.Encrypt(alice, "and back"));
    }

    private static void IdentityChangeOnBundle(ShimParty alice, ShimParty bob)
    {
        Establish(alice, bob);
        bob.Init(9999); // Bob reinstalls: a new identity
        JsonObject bundle = bob.Bundle(61, 19, true);
        ShimReply refused = alice.ProcessBundle(bob, bundle);
        Expect(!refused.Ok && refused.Error == "UntrustedIdentity", $"a changed identity was not refused as UntrustedIdentity: {refused}");
        Expect(alice.Trust(bob), "trust");
        Expect(alice.ProcessBundle(bob, bundle), "process_bundle after approval");
        Deliver(alice, bob, alice.Encrypt(bob, "hello again"));
        Deliver(bob, alice, bob.Encrypt(alice, "hello from the new device"));
    }

    private static void IdentityChangeOnPreKeyMessage(ShimParty alice, ShimParty bob)
    {
        Establish(alice, bob);
        JsonObject bundle = bob.Bundle(71, 20, true);
        alice.Init(8888); // Alice reinstalls and starts again with Bob's published bundle
        Expect(alice.ProcessBundle(bob, bundle), "process_bundle with the new identity");
        Sent message = alice.Encrypt(bob, "from a new identity");
        ShimReply refused = bob.Decrypt(alice, message);
        Expect(!refused.Ok && refused.Error == "UntrustedIdentity", $"a message from a changed identity was not refused as UntrustedIdentity: {refused}");
        Expect(bob.Trust(alice), "trust");
        Deliver(alice, bob, message);
    }

    private static void BadSignature(ShimParty alice, ShimParty bob)
    {
        var bundle = bob.Bundle(81, 21, true);
        byte[] signature = Convert.FromBase64String(bundle["signedPreKeySignature"]!.GetValue<string>());
        signature[10] ^= 0x01;
        bundle["signedPreKeySignature"] = Convert.ToBase64String(signature);
        ShimReply refused = alice.ProcessBundle(bob, bundle);
        Expect(!refused.Ok, "a bundle with a forged signed-prekey signature was accepted");
        Expect(alice.ProcessBundle(bob, bob.Bundle(82, 21, true)), "process_bundle of the authentic bundle");
    }

    private static void SafetyNumbers(ShimParty alice, ShimParty bob)
    {
        ShimReply ofAlice = alice.Fingerprint(bob), ofBob = bob.Fingerprint(alice);
        string displayable = ofAlice.Fields["displayable"]!.GetValue<string>();
        Expect(displayable.Length == 60 && displayable.All(char.IsAsciiDigit), $"displayable '{displayable}' is not 60 digits");
        Expect(displayable == ofBob.Fields["displayable"]!.GetValue<string>(), "the two sides' safety numbers differ");
        // Each side's scannable form, compared by ours against what the other side would show.
        foreach ((ShimParty scanner, ShimParty shown, ShimReply reply) in new[] { (alice, bob, ofBob), (bob, alice, ofAlice) })
        {
            if (reply.Fields["scannable"] is { } scannable)
            {
                var expected = new Fingerprint(
                    SignalShim.FingerprintVersion,
                    Fingerprint.DefaultIterations,
                    Encoding.UTF8.GetBytes(scanner.Name),
                    Key(scanner.IdentityKey),
                    Encoding.UTF8.GetBytes(shown.Name),
                    Key(shown.IdentityKey));
                FingerprintComparison result = expected.Scannable.Compare(Convert.FromBase64String(scannable.GetValue<string>()));
                Expect(result == FingerprintComparison.Match, $"{shown}'s scannable safety number compares as {result}");
            }
        }
    }

    private static void XEdDsaBothWays(ShimParty alice, ShimParty bob)
    {
        foreach ((ShimParty signer, ShimParty verifier) in new[] { (alice, bob), (bob, alice) })
        {
            byte[] message = Encoding.UTF8.GetBytes($"signed by {signer}");
            string signature = signer.Sign(message);
            Expect(verifier.Verify(signer.IdentityKey, message, signature), $"{verifier} rejects {signer}'s signature");
            message[0] ^= 0x01;
            Expect(!verifier.Verify(signer.IdentityKey, message, signature), $"{verifier} accepts {signer}'s signature on another message");
        }
    }

    private static void Deliver(ShimParty from, ShimParty to, Sent message)
    {
        ShimReply reply = to.Decrypt(from, message);
        Expect(reply.Ok, $"{to} could not decrypt '{message.Text}' (type {message.Type}) from {from}: {reply}");
        Expect(reply.Plaintext == message.Text, $"{to} decrypted '{reply.Plaintext}', not '{message.Text}'");
    }

    private static void Expect(ShimReply reply, string what) => Expect(reply.Ok, $"{what} failed: {reply}");

    private static void Expect(bool condition, string detail)
    {
        if (!condition)
        {
            throw new ScenarioFailedException(detail);
        }
    }

    private static IdentityKey Key(string base64) =>
        IdentityKey.TryDeserialize(Convert.FromBase64String(base64), out IdentityKey? key) ? key! : throw new ScenarioFailedException("bad identity key");
}
