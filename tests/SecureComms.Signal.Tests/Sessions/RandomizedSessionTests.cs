using SecureComms.Signal.Sessions;
using SecureComms.Signal.Wire;
using SecureComms.Signal.X3dh;

namespace SecureComms.Signal.Tests.Sessions;

/// <summary>
/// libsignal's randomized session scenarios (<c>test_longer_sessions</c>, <c>proptest_session_resets</c> in
/// <c>rust/protocol/tests/session.rs</c>), ported as in <see cref="SessionTests"/>: long random mixes of sends,
/// deliveries, drops, archives and fresh bundles, after which both sides must still agree.
/// </summary>
public sealed class RandomizedSessionTests
{
    // libsignal: test_longer_sessions (2,000 random steps per action mix, as in libsignal; about a second here)
    [Fact]
    public void Longer_sessions()
    {
        Action[] equallyLikely = [Action.AliceSend, Action.AliceRecv, Action.AliceDrop, Action.AliceReorder, Action.BobSend, Action.BobRecv, Action.BobDrop, Action.BobReorder];
        Action[] moreSendsAndDrops =
        [
            Action.AliceSend, Action.AliceSend, Action.AliceRecv, Action.AliceDrop, Action.AliceDrop, Action.AliceReorder,
            Action.BobSend, Action.BobSend, Action.BobRecv, Action.BobDrop, Action.BobDrop, Action.BobReorder,
        ];
        Action[] moreSendsAndReorders =
        [
            Action.AliceSend, Action.AliceSend, Action.AliceRecv, Action.AliceDrop, Action.AliceReorder, Action.AliceReorder,
            Action.BobSend, Action.BobSend, Action.BobRecv, Action.BobDrop, Action.BobReorder, Action.BobReorder,
        ];
        foreach (Action[] actions in new[] { equallyLikely, moreSendsAndDrops, moreSendsAndReorders })
        {
            int seed = Random.Shared.Next();
            try
            {
                RunLongerSession(2000, actions, seed);
            }
            catch (Exception e) when (e is SignalProtocolException or Xunit.Sdk.XunitException)
            {
                throw new Xunit.Sdk.XunitException($"Longer session failed with seed {seed}: {e}");
            }
        }
    }

    // libsignal: proptest_session_resets (in spirit: random sends, deliveries, drops, archives and fresh
    // bundles on both sides, then both must agree on one session; no snapshots or decryption-error resends).
    [Fact]
    public void Session_resets()
    {
        for (int run = 0; run < 25; run++)
        {
            int seed = Random.Shared.Next();
            try
            {
                RunSessionResets(seed, 40);
            }
            catch (Exception e) when (e is SignalProtocolException or Xunit.Sdk.XunitException)
            {
                throw new Xunit.Sdk.XunitException($"Session resets failed with seed {seed}: {e}");
            }
        }
    }

    private static void RunLongerSession(int steps, Action[] actions, int seed)
    {
        using var alice = new Party("+14151111111");
        using var bob = new Party("+14151111112");
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.NextBundle());
        bob.Cipher.ProcessPreKeyBundle(alice.Address, alice.NextBundle());

        // (reordered, message, plaintext): a message already reordered is not reordered again (at most MaxOoo).
        var toAlice = new List<(bool Reordered, CiphertextMessage Message, string Text)>();
        var toBob = new List<(bool Reordered, CiphertextMessage Message, string Text)>();
        var rng = new Random(seed);
        const int MaxOoo = 30;
        int sent = 0, received = 0;

        for (int i = 0; i < steps; i++)
        {
            switch (actions[rng.Next(actions.Length)])
            {
                case Action.AliceSend:
                    string a = $"wheee1 {sent++}";
                    toAlice.Add((false, bob.Encrypt(alice, a), a));
                    break;
                case Action.BobSend:
                    string b = $"wheee2 {sent++}";
                    toBob.Add((false, alice.Encrypt(bob, b), b));
                    break;
                case Action.AliceRecv:
                    received += Receive(toAlice, alice, bob);
                    break;
                case Action.BobRecv:
                    received += Receive(toBob, bob, alice);
                    break;
                case Action.AliceDrop:
                    DropFirst(toAlice);
                    break;
                case Action.BobDrop:
                    DropFirst(toBob);
                    break;
                case Action.AliceReorder:
                    Reorder(toAlice, rng, MaxOoo);
                    break;
                case Action.BobReorder:
                    Reorder(toBob, rng, MaxOoo);
                    break;
            }
        }
        Assert.True(received > steps / 20, $"only {received} messages received in {steps} steps");

        static int Receive(List<(bool Reordered, CiphertextMessage Message, string Text)> queue, Party receiver, Party sender)
        {
            if (queue.Count == 0)
            {
                return 0;
            }
            var (_, message, text) = queue[0];
            queue.RemoveAt(0);
            Assert.Equal(text, receiver.Decrypt(sender, message));
            return 1;
        }

        static void DropFirst(List<(bool Reordered, CiphertextMessage Message, string Text)> queue)
        {
            if (queue.Count > 0)
            {
                queue.RemoveAt(0);
            }
        }

        static void Reorder(List<(bool Reordered, CiphertextMessage Message, string Text)> queue, Random rng, int maxOoo)
        {
            if (queue.Count < 2)
            {
                return;
            }
            int index = (rng.Next(maxOoo) % (queue.Count - 1)) + 1;
            if (!queue[0].Reordered && !queue[index].Reordered)
            {
                (queue[0], queue[index]) = (queue[index] with { Reordered = true }, queue[0] with { Reordered = true });
            }
        }
    }

    private static void RunSessionResets(int seed, int actionCount)
    {
        var rng = new Random(seed);
        using var alice = new Party("+14151111111");
        using var bob = new Party("+14151111112");
        var toAlice = new List<(CiphertextMessage Message, string Text)>();
        var toBob = new List<(CiphertextMessage Message, string Text)>();
        int id = 0;

        void Send(Party from, Party to, List<(CiphertextMessage, string)> queue)
        {
            if (!from.Cipher.HasUsableSession(to.Address))
            {
                from.Cipher.ProcessPreKeyBundle(to.Address, to.NextBundle(oneTimePreKey: rng.NextDouble() < 0.75));
            }
            string text = $"message {id++}";
            queue.Add((from.Encrypt(to, text), text));
        }

        static void ReceiveAll(Party receiver, Party sender, List<(CiphertextMessage Message, string Text)> queue)
        {
            foreach (var (message, text) in queue)
            {
                Assert.Equal(text, receiver.Decrypt(sender, message));
            }
            queue.Clear();
        }

        static void Archive(Party party, Party peer)
        {
            if (party.Record(peer) is { } record)
            {
                record.ArchiveCurrentState();
                party.Store.StoreSession(peer.Address, record);
                Assert.False(party.Cipher.HasUsableSession(peer.Address));
            }
        }

        for (int i = 0; i < actionCount; i++)
        {
            bool aliceActs = rng.Next(2) == 0;
            Party me = aliceActs ? alice : bob, them = aliceActs ? bob : alice;
            List<(CiphertextMessage, string)> incoming = aliceActs ? toAlice : toBob, outgoing = aliceActs ? toBob : toAlice;
            switch (rng.Next(5))
            {
                case 0:
                case 1:
                    Send(me, them, outgoing);
                    break;
                case 2:
                    ReceiveAll(me, them, incoming);
                    break;
                case 3:
                    if (incoming.Count > 0)
                    {
                        incoming.RemoveAt(incoming.Count - 1); // the newest is lost
                    }
                    break;
                case 4:
                    Archive(me, them);
                    break;
            }
        }

        // Quiesce, then one message each way brings both onto one session.
        ReceiveAll(alice, bob, toAlice);
        ReceiveAll(bob, alice, toBob);
        Send(alice, bob, toBob);
        ReceiveAll(bob, alice, toBob);
        Send(bob, alice, toAlice);
        ReceiveAll(alice, bob, toAlice);
        Assert.True(Party.SameSession(alice, bob));
        Assert.Equal(CiphertextMessageType.Whisper, alice.Encrypt(bob, "settled").Type);
    }

    private enum Action
    {
        AliceSend,
        BobSend,
        AliceRecv,
        BobRecv,
        AliceDrop,
        BobDrop,
        AliceReorder,
        BobReorder,
    }
}
