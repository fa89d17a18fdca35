using SecureComms.Signal.Sessions;
using SecureComms.Signal.Wire;

namespace SecureComms.Signal.Tests.Sessions;

/// <summary>
/// Each bound of <see cref="SessionLimits"/> tested at the limit and one past it. The numbers are written
/// out (libsignal's <c>consts.rs</c> values) rather than read from <see cref="SessionLimits"/>, so that a
/// changed constant fails here.
/// </summary>
public sealed class LimitTests
{
    private const int MaxForwardJumps = 25_000;
    private const int MaxMessageKeys = 2_000;
    private const int MaxReceiverChains = 5;
    private const int ArchivedStatesMaxLength = 40;

    [Fact]
    public void Constants_are_libsignals()
    {
        Assert.Equal(MaxForwardJumps, SessionLimits.MaxForwardJumps);
        Assert.Equal(MaxMessageKeys, SessionLimits.MaxMessageKeys);
        Assert.Equal(MaxReceiverChains, SessionLimits.MaxReceiverChains);
        Assert.Equal(ArchivedStatesMaxLength, SessionLimits.ArchivedStatesMaxLength);
        Assert.Equal(TimeSpan.FromDays(30), SessionLimits.MaxUnacknowledgedSessionAge);
    }

    [Fact]
    public void A_forward_jump_of_exactly_25000_decrypts_and_25001_is_refused()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        Party.Establish(alice, bob); // Alice now sends on a chain Bob has not seen: he will start it at 0.

        alice.SkipSending(bob, MaxForwardJumps); // 25,000 messages sent and lost
        CiphertextMessage atLimit = alice.Encrypt(bob, "at the limit");
        CiphertextMessage pastLimit = alice.Encrypt(bob, "one past");
        Assert.Equal(25_000u, Party.Counter(atLimit));
        Assert.Equal(25_001u, Party.Counter(pastLimit));

        string bobBefore = bob.Snapshot(alice);
        byte[] recordBefore = bob.RecordBytes(alice);
        SignalProtocolException e = bob.Refuses(alice, pastLimit);
        Assert.Equal(SignalError.TooFarInFuture, e.Reason);
        Assert.Equal(25_001, e.Value);
        Assert.Equal(25_000, e.Limit);
        Assert.Equal(recordBefore, bob.RecordBytes(alice));
        Assert.Equal(bobBefore, bob.Snapshot(alice));

        Assert.Equal("at the limit", bob.Decrypt(alice, atLimit));
        Assert.Equal("one past", bob.Decrypt(alice, pastLimit)); // now a jump of 0
    }

    [Fact]
    public void The_forward_jump_is_measured_from_where_the_chain_stands()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        Party.Establish(alice, bob);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal($"m{i}", bob.Decrypt(alice, alice.Encrypt(bob, $"m{i}")));
        }
        // Bob's chain stands at 10: counter 25,010 is a jump of 25,000, counter 25,011 one of 25,001.
        alice.SkipSending(bob, MaxForwardJumps);
        CiphertextMessage atLimit = alice.Encrypt(bob, "at the limit");
        CiphertextMessage pastLimit = alice.Encrypt(bob, "one past");
        Assert.Equal(25_010u, Party.Counter(atLimit));

        byte[] recordBefore = bob.RecordBytes(alice);
        SignalProtocolException e = bob.Refuses(alice, pastLimit);
        Assert.Equal(SignalError.TooFarInFuture, e.Reason);
        Assert.Equal(25_001, e.Value);
        Assert.Equal(25_000, e.Limit);
        Assert.Equal(recordBefore, bob.RecordBytes(alice));

        Assert.Equal("at the limit", bob.Decrypt(alice, atLimit));
    }

    [Fact]
    public void Exactly_2000_skipped_keys_are_kept_per_chain()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        Party.Establish(alice, bob);
        CiphertextMessage[] messages = EncryptMany(alice, bob, MaxMessageKeys + 1);

        Assert.Equal("m2000", bob.Decrypt(alice, messages[MaxMessageKeys])); // skips m0..m1999
        Assert.Equal(MaxMessageKeys, SkippedKeys(bob, alice));

        for (int i = 0; i < MaxMessageKeys; i++)
        {
            Assert.Equal($"m{i}", bob.Decrypt(alice, messages[i]));
        }
        Assert.Equal(0, SkippedKeys(bob, alice));
    }

    [Fact]
    public void The_2001st_skipped_key_evicts_the_oldest()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        Party.Establish(alice, bob);
        CiphertextMessage[] messages = EncryptMany(alice, bob, MaxMessageKeys + 2);

        Assert.Equal("m2001", bob.Decrypt(alice, messages[MaxMessageKeys + 1])); // skips m0..m2000: m0 evicted
        Assert.Equal(MaxMessageKeys, SkippedKeys(bob, alice));

        string before = bob.Snapshot(alice);
        SignalProtocolException e = bob.Refuses(alice, messages[0]);
        Assert.Equal(SignalError.DuplicateMessage, e.Reason);
        Assert.Equal(0, e.Value);
        Assert.Equal(MaxMessageKeys + 2, e.Limit);
        Assert.Equal(before, bob.Snapshot(alice));

        for (int i = 1; i <= MaxMessageKeys; i++)
        {
            Assert.Equal($"m{i}", bob.Decrypt(alice, messages[i]));
        }
        Assert.Equal(0, SkippedKeys(bob, alice));
    }

    [Fact]
    public void Five_receiver_chains_are_kept_and_the_sixth_oldest_is_dropped()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        Party.Establish(alice, bob);

        // Bob sends on 7 successive chains; from each, one message is held back.
        const int Chains = MaxReceiverChains + 2;
        var late = new CiphertextMessage[Chains];
        for (int k = 0; k < Chains; k++)
        {
            late[k] = bob.Encrypt(alice, $"late {k}");
            Assert.Equal($"on time {k}", alice.Decrypt(bob, bob.Encrypt(alice, $"on time {k}")));
            Assert.Equal($"reply {k}", bob.Decrypt(alice, alice.Encrypt(bob, $"reply {k}"))); // Bob's next chain
        }
        for (int k = 1; k < Chains; k++)
        {
            Assert.False(Party.Inner(late[k]).RatchetKey.Equals(Party.Inner(late[k - 1]).RatchetKey));
        }
        Assert.Equal(MaxReceiverChains, alice.Record(bob)!.Current!.Structure.Ratchet.ReceiverChains.Count);

        // Chains k = 2..6 are the 5 newest; k = 1 is the 6th newest, k = 0 the 7th.
        foreach (int dropped in new[] { Chains - MaxReceiverChains - 1, 0 })
        {
            string before = alice.Snapshot(bob);
            Assert.Equal(SignalError.BadMac, alice.Refuses(bob, late[dropped]).Reason);
            Assert.Equal(before, alice.Snapshot(bob));
        }
        for (int k = Chains - MaxReceiverChains; k < Chains; k++)
        {
            Assert.Equal($"late {k}", alice.Decrypt(bob, late[k]));
        }
    }

    [Fact]
    public void Forty_archived_states_are_kept_and_the_41st_is_dropped()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");

        // Sessions S0 and S1, each acknowledged by Bob, who holds one late message back in each.
        var late = new CiphertextMessage[2];
        for (int s = 0; s < 2; s++)
        {
            alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.NextBundle());
            Assert.Equal($"S{s}", bob.Decrypt(alice, alice.Encrypt(bob, $"S{s}")));
            late[s] = bob.Encrypt(alice, $"late {s}");
            Assert.Equal(CiphertextMessageType.Whisper, late[s].Type);
        }
        Assert.Equal(1, alice.Record(bob)!.ArchivedStateCount);

        // Resets: Alice starts a new session each time; the count grows to 40 and stays there.
        for (int reset = 1; reset <= ArchivedStatesMaxLength; reset++)
        {
            alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.NextBundle(oneTimePreKey: false));
            Assert.Equal(Math.Min(reset + 1, ArchivedStatesMaxLength), alice.Record(bob)!.ArchivedStateCount);

            if (reset == ArchivedStatesMaxLength - 1)
            {
                // 40 archived, S0 the oldest of them: its late message still decrypts (then the record is put back).
                byte[] saved = alice.RecordBytes(bob);
                Assert.Equal("late 0", alice.Decrypt(bob, late[0]));
                alice.Store.StoreSession(bob.Address, SessionRecord.Deserialize(saved));
            }
        }

        // One reset more: S0 was the 41st and is gone; S1 is now the oldest kept.
        string before = alice.Snapshot(bob);
        Assert.Equal(SignalError.BadMac, alice.Refuses(bob, late[0]).Reason);
        Assert.Equal(before, alice.Snapshot(bob));
        Assert.Equal("late 1", alice.Decrypt(bob, late[1]));
        Assert.Equal(ArchivedStatesMaxLength, alice.Record(bob)!.ArchivedStateCount);
    }

    [Fact]
    public void An_unacknowledged_session_is_usable_for_exactly_30_days()
    {
        DateTimeOffset start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var time = new ManualTime(start);
        using var alice = new Party("alice", time: time);
        using var bob = new Party("bob");
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.NextBundle());

        time.Now = start + TimeSpan.FromDays(30);
        Assert.True(alice.Cipher.HasUsableSession(bob.Address));
        Assert.True(alice.Record(bob)!.HasUsableSenderChain(time.Now));
        CiphertextMessage lastChance = alice.Encrypt(bob, "still here");
        Assert.Equal(CiphertextMessageType.PreKey, lastChance.Type); // sending does not acknowledge, nor extend

        time.Now = start + TimeSpan.FromDays(30) + TimeSpan.FromMilliseconds(1);
        Assert.False(alice.Cipher.HasUsableSession(bob.Address));
        Assert.False(alice.Record(bob)!.HasUsableSenderChain(time.Now));
        string before = alice.Snapshot(bob);
        var e = Assert.Throws<SignalProtocolException>(() => alice.Encrypt(bob, "too late"));
        Assert.Equal(SignalError.NoSession, e.Reason);
        Assert.Equal(before, alice.Snapshot(bob));

        // The peer can still read what was sent, and its reply revives the session for good.
        Assert.Equal("still here", bob.Decrypt(alice, lastChance));
        Assert.Equal("welcome", alice.Decrypt(bob, bob.Encrypt(alice, "welcome")));
        Assert.True(alice.Cipher.HasUsableSession(bob.Address));
        time.Now = start + TimeSpan.FromDays(365);
        Assert.True(alice.Cipher.HasUsableSession(bob.Address));
        Assert.Equal(CiphertextMessageType.Whisper, alice.Encrypt(bob, "a year on").Type);
    }

    [Fact]
    public void An_acknowledged_session_does_not_expire()
    {
        DateTimeOffset start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var time = new ManualTime(start);
        using var alice = new Party("alice", time: time);
        using var bob = new Party("bob");
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.NextBundle());
        Assert.Equal("hello", bob.Decrypt(alice, alice.Encrypt(bob, "hello")));

        time.Now = start + TimeSpan.FromDays(29);
        Assert.Equal("hi", alice.Decrypt(bob, bob.Encrypt(alice, "hi")));

        time.Now = start + TimeSpan.FromDays(30) + TimeSpan.FromMilliseconds(1);
        Assert.True(alice.Cipher.HasUsableSession(bob.Address));
        CiphertextMessage later = alice.Encrypt(bob, "later");
        Assert.Equal(CiphertextMessageType.Whisper, later.Type);
        Assert.Equal("later", bob.Decrypt(alice, later));
    }

    private static CiphertextMessage[] EncryptMany(Party from, Party to, int count)
    {
        var messages = new CiphertextMessage[count];
        for (int i = 0; i < count; i++)
        {
            messages[i] = from.Encrypt(to, $"m{i}");
            Assert.Equal((uint)i, Party.Counter(messages[i])); // a fresh chain
        }
        return messages;
    }

    /// <summary>The skipped message keys <paramref name="party"/> holds for <paramref name="peer"/>'s chains.</summary>
    private static int SkippedKeys(Party party, Party peer) =>
        party.Record(peer)!.Current!.Structure.Ratchet.ReceiverChains.Sum(c => c.MessageKeys.Count);
}
