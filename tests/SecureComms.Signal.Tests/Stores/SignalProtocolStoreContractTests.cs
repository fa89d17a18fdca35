using SecureComms.Crypto;
using SecureComms.Signal.Sessions;
using SecureComms.Signal.Sqlite;
using SecureComms.Signal.Stores;
using SecureComms.Signal.Tests.Sessions;

namespace SecureComms.Signal.Tests.Stores;

/// <summary>
/// What every <see cref="ISignalProtocolStore"/> must do; run against each implementation by the subclasses
/// below.
/// </summary>
public abstract class SignalProtocolStoreContractTests : IDisposable
{
    private readonly List<IDisposable> _stores = [];

    /// <summary>A new, empty store for <paramref name="identity"/>, which it takes ownership of.</summary>
    protected abstract ISignalProtocolStore CreateStore(IdentityKeyPair identity, uint registrationId);

    [Fact]
    public void Identity_key_pair_and_registration_id_are_the_ones_given()
    {
        var identity = IdentityKeyPair.Generate();
        IdentityKey expected = identity.PublicKey;
        ISignalProtocolStore store = NewStore(identity, 4242);

        IdentityKeyPair ours = store.GetIdentityKeyPair();
        Assert.Equal(expected, ours.PublicKey);
        Assert.Equal(expected.PublicKey, ours.PrivateKey.PublicKey); // the private half survived too
        byte[] signature = ours.Sign("bundle"u8);
        Assert.True(XEdDsa.Verify(expected.PublicKey, "bundle"u8, signature));
        Assert.Equal(4242u, store.GetLocalRegistrationId());
    }

    [Fact]
    public void Saved_identities_are_returned_per_address_and_unknown_ones_are_null()
    {
        ISignalProtocolStore store = NewStore();
        var bob1 = new ProtocolAddress("bob", 1);
        IdentityKey first = NewIdentityKey();
        IdentityKey second = NewIdentityKey();

        Assert.Null(store.GetIdentity(bob1));
        store.SaveIdentity(bob1, first);
        Assert.Equal(first, store.GetIdentity(bob1));
        Assert.Null(store.GetIdentity(new ProtocolAddress("bob", 2)));
        Assert.Null(store.GetIdentity(new ProtocolAddress("bobby", 1)));

        store.SaveIdentity(bob1, second); // a change the user approved
        Assert.Equal(second, store.GetIdentity(bob1));
        Assert.NotEqual(first, store.GetIdentity(bob1));
    }

    [Fact]
    public void Trust_on_first_use_trusts_unknown_and_same_identities_and_refuses_a_different_one()
    {
        ISignalProtocolStore store = NewStore();
        var bob = new ProtocolAddress("bob", 1);
        IdentityKey known = NewIdentityKey();
        IdentityKey other = NewIdentityKey();

        Assert.True(IdentityTrust.IsTrusted(store, bob, known));
        store.SaveIdentity(bob, known);
        Assert.True(IdentityTrust.IsTrusted(store, bob, known));
        Assert.False(IdentityTrust.IsTrusted(store, bob, other));
        Assert.True(IdentityTrust.IsTrusted(store, new ProtocolAddress("bob", 2), other));
    }

    [Fact]
    public void Prekeys_are_stored_loaded_and_removed()
    {
        ISignalProtocolStore store = NewStore();
        using PreKeyRecord one = PreKeyRecord.Generate(1);
        using PreKeyRecord two = PreKeyRecord.Generate(2);
        store.StorePreKey(one);
        store.StorePreKey(two);

        using (PreKeyRecord loaded = store.LoadPreKey(1)!)
        {
            Assert.Equal(1u, loaded.Id);
            Assert.Equal(one.PublicKey, loaded.PublicKey);
            Assert.True(one.PrivateKey.FixedTimeEquals(loaded.PrivateKey));
        }
        Assert.Null(store.LoadPreKey(3));

        store.RemovePreKey(1);
        Assert.Null(store.LoadPreKey(1));
        using (PreKeyRecord kept = store.LoadPreKey(2)!)
        {
            Assert.Equal(two.PublicKey, kept.PublicKey);
        }
        store.RemovePreKey(1); // absent: no error
        store.RemovePreKey(99);
        Assert.NotNull(store.LoadPreKey(2));
    }

    [Fact]
    public void A_prekey_stored_under_an_existing_id_replaces_it()
    {
        ISignalProtocolStore store = NewStore();
        using PreKeyRecord first = PreKeyRecord.Generate(5);
        using PreKeyRecord second = PreKeyRecord.Generate(5);
        store.StorePreKey(first);
        store.StorePreKey(second);

        using PreKeyRecord loaded = store.LoadPreKey(5)!;
        Assert.Equal(second.PublicKey, loaded.PublicKey);
        Assert.NotEqual(first.PublicKey, loaded.PublicKey);
    }

    [Fact]
    public void A_loaded_prekey_is_a_fresh_copy_the_caller_may_dispose()
    {
        ISignalProtocolStore store = NewStore();
        using PreKeyRecord original = PreKeyRecord.Generate(8);
        store.StorePreKey(original);

        PreKeyRecord a = store.LoadPreKey(8)!;
        using PreKeyRecord b = store.LoadPreKey(8)!;
        Assert.NotSame(a, b);
        Assert.NotSame(a.PrivateKey, b.PrivateKey);
        a.Dispose();
        Assert.True(a.PrivateKey.IsDisposed);
        Assert.False(b.PrivateKey.IsDisposed);
        using PreKeyRecord c = store.LoadPreKey(8)!;
        Assert.True(original.PrivateKey.FixedTimeEquals(c.PrivateKey));
    }

    [Fact]
    public void Signed_prekeys_are_stored_loaded_and_replaced()
    {
        var identity = IdentityKeyPair.Generate();
        IdentityKey identityKey = identity.PublicKey;
        ISignalProtocolStore store = NewStore(identity);
        DateTimeOffset made = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        using SignedPreKeyRecord signed = SignedPreKeyRecord.Generate(3, store.GetIdentityKeyPair(), made);

        Assert.Null(store.LoadSignedPreKey(3));
        store.StoreSignedPreKey(signed);
        using (SignedPreKeyRecord loaded = store.LoadSignedPreKey(3)!)
        {
            Assert.Equal(3u, loaded.Id);
            Assert.Equal(signed.PublicKey, loaded.PublicKey);
            Assert.True(signed.PrivateKey.FixedTimeEquals(loaded.PrivateKey));
            Assert.Equal(signed.Signature, loaded.Signature);
            Assert.Equal(made, loaded.Timestamp);
            Assert.True(XEdDsa.Verify(identityKey.PublicKey, Wire.PublicKeyEncoding.Serialize(loaded.PublicKey), loaded.Signature));
        }
        Assert.Null(store.LoadSignedPreKey(4));

        using SignedPreKeyRecord rotated = SignedPreKeyRecord.Generate(3, store.GetIdentityKeyPair(), made.AddDays(7));
        store.StoreSignedPreKey(rotated);
        using SignedPreKeyRecord reloaded = store.LoadSignedPreKey(3)!;
        Assert.Equal(rotated.PublicKey, reloaded.PublicKey);
        Assert.Equal(made.AddDays(7), reloaded.Timestamp);
    }

    [Fact]
    public void Sessions_are_stored_per_address_and_missing_ones_are_null()
    {
        ISignalProtocolStore store = NewStore();
        var bob = new ProtocolAddress("bob", 1);
        SessionRecord record = NewSessionRecord();

        Assert.Null(store.LoadSession(bob));
        store.StoreSession(bob, record);
        SessionRecord loaded = store.LoadSession(bob)!;
        Assert.True(loaded.HasCurrentState);
        Assert.Equal(record.Serialize(), loaded.Serialize());
        Assert.Null(store.LoadSession(new ProtocolAddress("bob", 2)));
        Assert.Null(store.LoadSession(new ProtocolAddress("carol", 1)));

        SessionRecord replacement = NewSessionRecord();
        store.StoreSession(bob, replacement);
        Assert.Equal(replacement.Serialize(), store.LoadSession(bob)!.Serialize());
        Assert.NotEqual(record.Serialize(), store.LoadSession(bob)!.Serialize());
    }

    [Fact]
    public void A_loaded_session_is_a_fresh_copy_and_changing_it_does_not_change_the_store()
    {
        ISignalProtocolStore store = NewStore();
        var bob = new ProtocolAddress("bob", 1);
        SessionRecord record = NewSessionRecord();
        byte[] stored = record.Serialize();
        store.StoreSession(bob, record);

        record.ArchiveCurrentState(); // the object handed to the store
        SessionRecord first = store.LoadSession(bob)!;
        SessionRecord second = store.LoadSession(bob)!;
        Assert.NotSame(first, second);
        first.ArchiveCurrentState();
        Assert.False(first.HasCurrentState);
        Assert.Equal(1, first.ArchivedStateCount);

        Assert.True(second.HasCurrentState);
        SessionRecord third = store.LoadSession(bob)!;
        Assert.True(third.HasCurrentState);
        Assert.Equal(0, third.ArchivedStateCount);
        Assert.Equal(stored, third.Serialize());
    }

    [Fact]
    public void Commit_stores_the_session_records_the_identity_and_removes_the_consumed_prekey()
    {
        ISignalProtocolStore store = NewStore();
        var alice = new ProtocolAddress("alice", 1);
        using PreKeyRecord consumed = PreKeyRecord.Generate(42);
        using PreKeyRecord other = PreKeyRecord.Generate(43);
        store.StorePreKey(consumed);
        store.StorePreKey(other);
        SessionRecord record = NewSessionRecord();
        IdentityKey identity = NewIdentityKey();

        store.Commit(new SessionCommit(alice, record, identity, 42));

        Assert.Equal(record.Serialize(), store.LoadSession(alice)!.Serialize());
        Assert.Equal(identity, store.GetIdentity(alice));
        Assert.Null(store.LoadPreKey(42));
        Assert.NotNull(store.LoadPreKey(43));
    }

    [Fact]
    public void Commit_records_the_answered_base_key_for_its_signed_prekey_only()
    {
        ISignalProtocolStore store = NewStore();
        X25519PublicKey baseKey = NewIdentityKey().PublicKey, otherKey = NewIdentityKey().PublicKey;
        Assert.False(store.IsBaseKeyUsed(5, baseKey));

        store.Commit(new SessionCommit(new ProtocolAddress("alice", 1), NewSessionRecord(), NewIdentityKey(), null, (5, baseKey)));

        Assert.True(store.IsBaseKeyUsed(5, baseKey));
        Assert.False(store.IsBaseKeyUsed(6, baseKey));
        Assert.False(store.IsBaseKeyUsed(5, otherKey));
    }

    [Fact]
    public void Commit_without_a_consumed_prekey_replaces_session_and_identity_and_keeps_prekeys()
    {
        ISignalProtocolStore store = NewStore();
        var alice = new ProtocolAddress("alice", 1);
        using PreKeyRecord preKey = PreKeyRecord.Generate(42);
        store.StorePreKey(preKey);
        store.Commit(new SessionCommit(alice, NewSessionRecord(), NewIdentityKey(), null));
        SessionRecord record = NewSessionRecord();
        IdentityKey identity = NewIdentityKey();

        store.Commit(new SessionCommit(alice, record, identity, null));

        Assert.Equal(record.Serialize(), store.LoadSession(alice)!.Serialize());
        Assert.Equal(identity, store.GetIdentity(alice));
        Assert.NotNull(store.LoadPreKey(42));
    }

    [Fact]
    public void Concurrent_callers_on_many_threads_all_land()
    {
        ISignalProtocolStore store = NewStore();
        const int n = 48;
        SessionRecord record = NewSessionRecord();
        byte[] expected = record.Serialize();
        IdentityKey[] identities = [.. Enumerable.Range(0, n).Select(_ => NewIdentityKey())];

        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var address = new ProtocolAddress($"peer{i}", (uint)i);
            using PreKeyRecord preKey = PreKeyRecord.Generate((uint)i);
            using PreKeyRecord kept = PreKeyRecord.Generate((uint)(1000 + i));
            store.StorePreKey(preKey);
            store.StorePreKey(kept);
            store.Commit(new SessionCommit(address, record, identities[i], (uint)i));
            Assert.NotNull(store.LoadSession(address));
            Assert.NotNull(store.LoadPreKey((uint)(1000 + i)));
        });

        for (int i = 0; i < n; i++)
        {
            var address = new ProtocolAddress($"peer{i}", (uint)i);
            Assert.Equal(expected, store.LoadSession(address)!.Serialize());
            Assert.Equal(identities[i], store.GetIdentity(address));
            Assert.Null(store.LoadPreKey((uint)i));
            Assert.NotNull(store.LoadPreKey((uint)(1000 + i)));
        }
    }

    [Fact]
    public async Task Threads_hammering_the_store_at_once_each_read_their_own_writes()
    {
        ISignalProtocolStore store = NewStore();
        const int threads = 8;
        const int rounds = 60;
        byte[][] records = [NewSessionRecord().Serialize(), NewSessionRecord().Serialize()];
        IdentityKey identity = NewIdentityKey();
        using var start = new Barrier(threads);

        Task[] tasks = [.. Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(
            () =>
            {
                var address = new ProtocolAddress("peer", (uint)t);
                start.SignalAndWait();
                for (int round = 0; round < rounds; round++)
                {
                    uint id = (uint)((t * rounds) + round);
                    using (PreKeyRecord preKey = PreKeyRecord.Generate(id))
                    {
                        store.StorePreKey(preKey);
                    }
                    byte[] record = records[round % 2];
                    store.Commit(new SessionCommit(address, SessionRecord.Deserialize(record), identity, id));
                    Assert.Equal(record, store.LoadSession(address)!.Serialize());
                    Assert.Null(store.LoadPreKey(id));
                    Assert.Equal(identity, store.GetIdentity(address));
                }
            },
            TaskCreationOptions.LongRunning))];
        await Task.WhenAll(tasks);

        for (int t = 0; t < threads; t++)
        {
            Assert.Equal(records[(rounds - 1) % 2], store.LoadSession(new ProtocolAddress("peer", (uint)t))!.Serialize());
        }
    }

    [Fact]
    public void A_conversation_runs_over_the_store_and_its_effects_are_in_it()
    {
        using var alice = new Party("alice", store: NewStore());
        using var bob = new Party("bob", store: NewStore());
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.Bundle(preKeyId: 7));
        Assert.NotNull(bob.Store.LoadPreKey(7));

        Assert.Equal("hello", bob.Decrypt(alice, alice.Encrypt(bob, "hello")));
        Assert.Null(bob.Store.LoadPreKey(7)); // consumed by the PreKeySignalMessage's commit
        Assert.Equal(alice.Identity, bob.Store.GetIdentity(alice.Address));
        Assert.Equal(bob.Identity, alice.Store.GetIdentity(bob.Address));
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal($"b{i}", alice.Decrypt(bob, bob.Encrypt(alice, $"b{i}")));
            Assert.Equal($"a{i}", bob.Decrypt(alice, alice.Encrypt(bob, $"a{i}")));
        }
        Assert.Equal(alice.Store.LoadSession(bob.Address)!.AliceBaseKey, bob.Store.LoadSession(alice.Address)!.AliceBaseKey);
    }

    public void Dispose()
    {
        foreach (IDisposable store in _stores)
        {
            store.Dispose();
        }
        DisposeCore();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the subclass holds, after every store was disposed.</summary>
    protected virtual void DisposeCore()
    {
    }

    private ISignalProtocolStore NewStore(IdentityKeyPair? identity = null, uint registrationId = 77)
    {
        ISignalProtocolStore store = CreateStore(identity ?? IdentityKeyPair.Generate(), registrationId);
        _stores.Add((IDisposable)store);
        return store;
    }

    private static IdentityKey NewIdentityKey()
    {
        using var pair = IdentityKeyPair.Generate();
        return pair.PublicKey;
    }

    /// <summary>A real record with a current session (Alice's, after processing Bob's bundle).</summary>
    internal static SessionRecord NewSessionRecord()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.Bundle());
        return alice.Store.LoadSession(bob.Address)!;
    }
}

public sealed class InMemorySignalProtocolStoreContractTests : SignalProtocolStoreContractTests
{
    protected override ISignalProtocolStore CreateStore(IdentityKeyPair identity, uint registrationId) =>
        new InMemorySignalProtocolStore(identity, registrationId);
}

public sealed class SqliteSignalProtocolStoreContractTests : SignalProtocolStoreContractTests
{
    private readonly TempDirectory _directory = new();
    private int _count;

    protected override ISignalProtocolStore CreateStore(IdentityKeyPair identity, uint registrationId)
    {
        using (identity) // Create keeps its own copy
        {
            return SqliteSignalProtocolStore.Create(_directory.File($"store{++_count}.db"), identity, registrationId);
        }
    }

    protected override void DisposeCore() => _directory.Dispose();
}
