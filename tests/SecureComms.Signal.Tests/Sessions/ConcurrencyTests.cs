using System.Collections.Concurrent;
using SecureComms.Signal.Sessions;
using SecureComms.Signal.Wire;

namespace SecureComms.Signal.Tests.Sessions;

/// <summary>
/// Many threads, each with its own <see cref="SessionCipher"/> over one shared store, on one session. Each
/// operation loads the record, steps the ratchet and commits; without the per-session lock two of them
/// would load the same record, and the later commit would undo the earlier one: two messages under one
/// counter (the same message key), or a received message whose key comes back to life while a skipped
/// one is lost. These tests check exactly those outcomes: emitted counters are 0..N−1 with no repeat, and
/// every message decrypts exactly once with no skipped key left behind.
/// </summary>
public sealed class ConcurrencyTests
{
    private const int Threads = 8;
    private const int PerThread = 200;
    private const int Total = Threads * PerThread;

    [Fact]
    public void Parallel_encrypts_on_one_session_emit_every_counter_once()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        Party.Establish(alice, bob); // Alice's next messages start a fresh chain at counter 0

        var sent = new ConcurrentBag<(string Text, CiphertextMessage Message)>();
        RunOnThreads(t =>
        {
            var cipher = new SessionCipher(alice.Store); // one instance per thread, one shared store
            for (int i = 0; i < PerThread; i++)
            {
                string text = $"t{t} m{i}";
                sent.Add((text, cipher.Encrypt(bob.Address, System.Text.Encoding.UTF8.GetBytes(text))));
            }
        });

        Assert.Equal(Total, sent.Count);
        Assert.All(sent, s => Assert.Equal(CiphertextMessageType.Whisper, s.Message.Type));
        uint[] counters = sent.Select(s => Party.Counter(s.Message)).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, Total).Select(i => (uint)i), counters);
        Assert.Single(sent.Select(s => Convert.ToHexString(Party.Inner(s.Message).RatchetKey.Bytes)).Distinct());
        Assert.Equal((uint)Total, Party.Counter(alice.Encrypt(bob, "next"))); // the chain stands after them all

        (string Text, CiphertextMessage Message)[] shuffled = [.. sent];
        Random.Shared.Shuffle(shuffled);
        foreach (var (text, message) in shuffled)
        {
            Assert.Equal(text, bob.Decrypt(alice, message));
        }
        foreach (var (_, message) in shuffled.Take(50))
        {
            Assert.Equal(SignalError.DuplicateMessage, bob.Refuses(alice, message).Reason);
        }
    }

    [Fact]
    public void Parallel_decrypts_of_distinct_messages_each_succeed_exactly_once()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        Party.Establish(alice, bob);

        var messages = new (string Text, CiphertextMessage Message)[Total];
        for (int i = 0; i < Total; i++)
        {
            messages[i] = ($"m{i}", alice.Encrypt(bob, $"m{i}"));
        }
        Random.Shared.Shuffle(messages);

        var failures = new ConcurrentBag<string>();
        RunOnThreads(t =>
        {
            var cipher = new SessionCipher(bob.Store);
            for (int i = t; i < Total; i += Threads)
            {
                var (text, message) = messages[i];
                try
                {
                    string got = System.Text.Encoding.UTF8.GetString(cipher.Decrypt(alice.Address, message.Type, message.Serialized));
                    if (got != text)
                    {
                        failures.Add($"{text} decrypted to {got}");
                    }
                }
                catch (SignalProtocolException e)
                {
                    failures.Add($"{text}: {e.Reason}");
                }
            }
        });

        Assert.Empty(failures);
        AssertNothingLeftToReceive(bob, alice, Total);
        foreach (var (_, message) in messages)
        {
            Assert.Equal(SignalError.DuplicateMessage, bob.Refuses(alice, message).Reason);
        }
    }

    [Fact]
    public void Parallel_encrypts_and_decrypts_on_one_session_do_not_lose_each_other()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        Party.Establish(alice, bob); // Alice already has Bob's current chain: receiving will not ratchet her

        const int Each = Total / 2;
        var fromBob = new CiphertextMessage[Each];
        for (int i = 0; i < Each; i++)
        {
            fromBob[i] = bob.Encrypt(alice, $"b{i}");
        }

        var toBob = new ConcurrentBag<(string Text, CiphertextMessage Message)>();
        var failures = new ConcurrentBag<string>();
        RunOnThreads(t =>
        {
            var cipher = new SessionCipher(alice.Store);
            for (int i = t / 2; i < Each; i += Threads / 2)
            {
                if (t % 2 == 0)
                {
                    string text = $"a{i}";
                    toBob.Add((text, cipher.Encrypt(bob.Address, System.Text.Encoding.UTF8.GetBytes(text))));
                }
                else
                {
                    try
                    {
                        string got = System.Text.Encoding.UTF8.GetString(cipher.Decrypt(bob.Address, fromBob[i].Type, fromBob[i].Serialized));
                        if (got != $"b{i}")
                        {
                            failures.Add($"b{i} decrypted to {got}");
                        }
                    }
                    catch (SignalProtocolException e)
                    {
                        failures.Add($"b{i}: {e.Reason}");
                    }
                }
            }
        });

        Assert.Empty(failures);
        Assert.Equal(Each, toBob.Count);
        Assert.Equal(Enumerable.Range(0, Each).Select(i => (uint)i), toBob.Select(s => Party.Counter(s.Message)).Order());
        AssertNothingLeftToReceive(alice, bob, Each + 1); // Bob's chain also carried Establish's reply
        foreach (var (text, message) in toBob)
        {
            Assert.Equal(text, bob.Decrypt(alice, message));
        }
    }

    [Fact]
    public void Sessions_with_different_peers_proceed_in_parallel()
    {
        using var alice = new Party("alice");
        Party[] peers = [.. Enumerable.Range(0, Threads).Select(i => new Party($"peer{i}"))];
        try
        {
            foreach (Party peer in peers)
            {
                Party.Establish(alice, peer);
            }
            var sent = new ConcurrentBag<(int Peer, string Text, CiphertextMessage Message)>();
            RunOnThreads(t =>
            {
                var cipher = new SessionCipher(alice.Store);
                for (int i = 0; i < PerThread; i++)
                {
                    // Every thread writes to every peer in turn: the locks of different peers never block each other.
                    int peer = (t + i) % Threads;
                    string text = $"t{t} m{i}";
                    sent.Add((peer, text, cipher.Encrypt(peers[peer].Address, System.Text.Encoding.UTF8.GetBytes(text))));
                }
            });
            foreach (IGrouping<int, (int Peer, string Text, CiphertextMessage Message)> group in sent.GroupBy(s => s.Peer))
            {
                Assert.Equal(Enumerable.Range(0, group.Count()).Select(i => (uint)i), group.Select(s => Party.Counter(s.Message)).Order());
                foreach (var (_, text, message) in group)
                {
                    Assert.Equal(text, peers[group.Key].Decrypt(alice, message));
                }
            }
            Assert.Equal(Total, sent.Count);
        }
        finally
        {
            foreach (Party peer in peers)
            {
                peer.Dispose();
            }
        }
    }

    /// <summary>Runs <paramref name="body"/> on <see cref="Threads"/> dedicated threads released together.</summary>
    private static void RunOnThreads(Action<int> body)
    {
        using var start = new Barrier(Threads);
        var errors = new ConcurrentBag<Exception>();
        Thread[] threads = [.. Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                body(t);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                errors.Add(e);
            }
        }))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }
        foreach (Thread thread in threads)
        {
            thread.Join();
        }
        Assert.Empty(errors);
    }

    /// <summary>
    /// <paramref name="receiver"/>'s chain for <paramref name="sender"/>'s current ratchet key stands at
    /// <paramref name="index"/> with no skipped key kept: every message up to it was received, once.
    /// </summary>
    private static void AssertNothingLeftToReceive(Party receiver, Party sender, int index)
    {
        SessionRecord record = receiver.Record(sender)!;
        Assert.All(record.Current!.Structure.Ratchet.ReceiverChains, c => Assert.Empty(c.MessageKeys));
        Assert.Contains(record.Current.Structure.Ratchet.ReceiverChains, c => c.ChainKey.Index == (uint)index);
    }
}
