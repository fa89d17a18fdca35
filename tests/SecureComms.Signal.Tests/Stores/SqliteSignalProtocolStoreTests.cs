using Microsoft.Data.Sqlite;
using SecureComms.Crypto;
using SecureComms.Signal.Sessions;
using SecureComms.Signal.Sqlite;
using SecureComms.Signal.Stores;
using SecureComms.Signal.Tests.Sessions;
using SecureComms.Signal.Wire;

namespace SecureComms.Signal.Tests.Stores;

/// <summary>What only a store in a file has: persistence, the schema and its versions, atomicity on disk.</summary>
public sealed class SqliteSignalProtocolStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void A_conversation_continues_after_both_stores_are_closed_and_reopened()
    {
        string alicePath = _directory.File("alice.db");
        string bobPath = _directory.File("bob.db");
        IdentityKey aliceKey;
        IdentityKey bobKey;
        CiphertextMessage inFlight;
        CiphertextMessage alreadyRead;
        byte[] aliceRecord;
        byte[] bobRecord;
        using (var aliceIdentity = IdentityKeyPair.Generate())
        using (var bobIdentity = IdentityKeyPair.Generate())
        using (var alice = new Party("alice", store: SqliteSignalProtocolStore.Create(alicePath, aliceIdentity, 1111)))
        using (var bob = new Party("bob", store: SqliteSignalProtocolStore.Create(bobPath, bobIdentity, 2222)))
        {
            aliceKey = aliceIdentity.PublicKey;
            bobKey = bobIdentity.PublicKey;
            alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.Bundle(preKeyId: 7, signedPreKeyId: 3));
            Assert.Equal("hello", bob.Decrypt(alice, alice.Encrypt(bob, "hello")));
            alreadyRead = bob.Encrypt(alice, "hi");
            Assert.Equal("hi", alice.Decrypt(bob, alreadyRead));
            inFlight = alice.Encrypt(bob, "sent before closing");
            aliceRecord = alice.RecordBytes(bob);
            bobRecord = bob.RecordBytes(alice);
        }

        using (var alice = new Party("alice", store: SqliteSignalProtocolStore.Open(alicePath)))
        using (var bob = new Party("bob", store: SqliteSignalProtocolStore.Open(bobPath)))
        {
            Assert.Equal(aliceKey, alice.Identity);
            Assert.Equal(bobKey, bob.Identity);
            Assert.Equal(1111u, alice.Store.GetLocalRegistrationId());
            Assert.Equal(2222u, bob.Store.GetLocalRegistrationId());
            Assert.Equal(aliceRecord, alice.RecordBytes(bob));
            Assert.Equal(bobRecord, bob.RecordBytes(alice));
            Assert.Equal(aliceKey, bob.Store.GetIdentity(alice.Address));
            Assert.Equal(bobKey, alice.Store.GetIdentity(bob.Address));
            Assert.Null(bob.Store.LoadPreKey(7)); // consumed before closing
            Assert.NotNull(bob.Store.LoadSignedPreKey(3));

            Assert.Equal("sent before closing", bob.Decrypt(alice, inFlight));
            SignalProtocolException replay = Assert.Throws<SignalProtocolException>(() => alice.Decrypt(bob, alreadyRead));
            Assert.Equal(SignalError.DuplicateMessage, replay.Reason);
            for (int i = 0; i < 5; i++)
            {
                Assert.Equal($"b{i}", alice.Decrypt(bob, bob.Encrypt(alice, $"b{i}")));
                Assert.Equal($"a{i}", bob.Decrypt(alice, alice.Encrypt(bob, $"a{i}")));
            }
            Assert.NotEqual(aliceRecord, alice.RecordBytes(bob));
        }
    }

    [Fact]
    public void Create_stores_the_identity_as_its_32_byte_private_key_and_leaves_the_callers_pair_alone()
    {
        string path = _directory.File("store.db");
        using var identity = IdentityKeyPair.Generate();
        byte[] privateKey = new byte[X25519PrivateKey.SizeInBytes];
        identity.PrivateKey.Export(privateKey);

        using (SqliteSignalProtocolStore store = SqliteSignalProtocolStore.Create(path, identity, 9000))
        {
            Assert.NotSame(identity, store.GetIdentityKeyPair());
            Assert.Equal(System.IO.Path.GetFullPath(path), store.FilePath);
        }

        Assert.False(identity.PrivateKey.IsDisposed);
        Assert.Equal(privateKey, (byte[])RawSqlite.Scalar(path, "SELECT private_key FROM local_identity;")!);
        Assert.Equal(identity.PublicKey.Serialize(), (byte[])RawSqlite.Scalar(path, "SELECT public_key FROM local_identity;")!);
        Assert.Equal(9000L, RawSqlite.Scalar(path, "SELECT registration_id FROM local_identity;"));
        Assert.Equal(1L, RawSqlite.Scalar(path, "SELECT count(*) FROM local_identity;"));
    }

    [Fact]
    public void Create_refuses_an_identity_that_cannot_be_exported_and_makes_no_file()
    {
        string path = _directory.File("store.db");
        using var identity = new IdentityKeyPair(X25519PrivateKey.Generate(exportable: false));

        Assert.Throws<ArgumentException>(() => SqliteSignalProtocolStore.Create(path, identity, 1));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Create_refuses_a_file_that_already_holds_a_store_and_keeps_the_first_identity()
    {
        string path = _directory.File("store.db");
        using var first = IdentityKeyPair.Generate();
        using var second = IdentityKeyPair.Generate();
        SqliteSignalProtocolStore.Create(path, first, 1).Dispose();

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => SqliteSignalProtocolStore.Create(path, second, 2));
        Assert.Contains("already holds a Signal store", e.Message, StringComparison.Ordinal);

        using SqliteSignalProtocolStore store = SqliteSignalProtocolStore.Open(path);
        Assert.Equal(first.PublicKey, store.GetIdentityKeyPair().PublicKey);
        Assert.Equal(1u, store.GetLocalRegistrationId());
    }

    [Fact]
    public void Create_refuses_another_non_empty_database_and_leaves_it_as_it_was()
    {
        string path = _directory.File("other.db");
        RawSqlite.Execute(path, "CREATE TABLE notes (body TEXT);");
        using var identity = IdentityKeyPair.Generate();

        Assert.Throws<InvalidOperationException>(() => SqliteSignalProtocolStore.Create(path, identity, 1));
        Assert.Equal(1L, RawSqlite.Scalar(path, "SELECT count(*) FROM sqlite_schema;"));
        Assert.Equal("delete", RawSqlite.Scalar(path, "PRAGMA journal_mode;"));
    }

    [Fact]
    public void Create_accepts_an_empty_file()
    {
        string path = _directory.File("store.db");
        File.WriteAllBytes(path, []);
        using var identity = IdentityKeyPair.Generate();

        using SqliteSignalProtocolStore store = SqliteSignalProtocolStore.Create(path, identity, 5);
        Assert.Equal(identity.PublicKey, store.GetIdentityKeyPair().PublicKey);
        Assert.True(new FileInfo(path).Length > 0);
    }

    [Fact]
    public void Open_refuses_a_missing_file_and_does_not_create_it()
    {
        string path = _directory.File("missing.db");

        Assert.Throws<FileNotFoundException>(() => SqliteSignalProtocolStore.Open(path));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Open_refuses_an_empty_database_and_leaves_it_untouched()
    {
        string path = _directory.File("empty.db");
        File.WriteAllBytes(path, []);

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => SqliteSignalProtocolStore.Open(path));
        Assert.Contains("Create", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public void Open_refuses_a_store_whose_identity_is_gone()
    {
        string path = NewStoreFile();
        RawSqlite.Execute(path, "DELETE FROM local_identity;");

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => SqliteSignalProtocolStore.Open(path));
        Assert.Contains("no identity", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_store_has_the_current_schema_version_and_its_tables()
    {
        string path = NewStoreFile();

        Assert.Equal(1, SqliteSignalProtocolStore.SchemaVersion);
        Assert.Equal((long)SqliteSignalProtocolStore.SchemaVersion, RawSqlite.Scalar(path, "PRAGMA user_version;"));
        foreach (string table in new[] { "local_identity", "identities", "pre_keys", "signed_pre_keys", "sessions" })
        {
            Assert.Equal(1L, RawSqlite.Scalar(path, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = $name;", ("$name", table)));
        }
    }

    [Fact]
    public void A_newer_schema_version_is_refused_and_the_file_left_untouched()
    {
        string path = NewStoreFile();
        int newer = SqliteSignalProtocolStore.SchemaVersion + 1;
        RawSqlite.Execute(path, $"PRAGMA user_version = {newer};");
        RawSqlite.Execute(path, "PRAGMA journal_mode = DELETE;");

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => SqliteSignalProtocolStore.Open(path));
        Assert.Contains($"schema version {newer}", e.Message, StringComparison.Ordinal);
        Assert.Contains("newer", e.Message, StringComparison.Ordinal);
        Assert.Equal((long)newer, RawSqlite.Scalar(path, "PRAGMA user_version;"));
        Assert.Equal("delete", RawSqlite.Scalar(path, "PRAGMA journal_mode;"));

        using var identity = IdentityKeyPair.Generate();
        Assert.Throws<InvalidOperationException>(() => SqliteSignalProtocolStore.Create(path, identity, 1));
        Assert.Equal((long)newer, RawSqlite.Scalar(path, "PRAGMA user_version;"));
    }

    [Fact]
    public void Write_ahead_logging_is_on_and_a_clean_close_removes_the_log()
    {
        string path = _directory.File("store.db");
        using var identity = IdentityKeyPair.Generate();
        using (SqliteSignalProtocolStore store = SqliteSignalProtocolStore.Create(path, identity, 1))
        {
            store.SaveIdentity(new ProtocolAddress("bob", 1), identity.PublicKey);
            Assert.Equal("wal", RawSqlite.Scalar(path, "PRAGMA journal_mode;"));
            Assert.True(File.Exists(path + "-wal"));
        }
        Assert.False(File.Exists(path + "-wal"));
        Assert.Equal("wal", RawSqlite.Scalar(path, "PRAGMA journal_mode;")); // persistent in the file
    }

    [Fact]
    public void Commit_is_all_or_nothing_when_removing_the_prekey_fails()
    {
        string path = _directory.File("store.db");
        using var identity = IdentityKeyPair.Generate();
        using SqliteSignalProtocolStore store = SqliteSignalProtocolStore.Create(path, identity, 1);
        var alice = new ProtocolAddress("alice", 1);
        using PreKeyRecord preKey = PreKeyRecord.Generate(7);
        store.StorePreKey(preKey);
        SessionRecord before = SignalProtocolStoreContractTests.NewSessionRecord();
        SessionRecord after = SignalProtocolStoreContractTests.NewSessionRecord();
        Assert.NotEqual(before.Serialize(), after.Serialize());
        using var knownPair = IdentityKeyPair.Generate();
        using var changedPair = IdentityKeyPair.Generate();
        store.Commit(new SessionCommit(alice, before, knownPair.PublicKey, null));

        RawSqlite.Execute(path, "CREATE TRIGGER fail_prekey_delete BEFORE DELETE ON pre_keys BEGIN SELECT RAISE(ABORT, 'boom'); END;");
        SqliteException e = Assert.Throws<SqliteException>(() => store.Commit(new SessionCommit(alice, after, changedPair.PublicKey, 7)));
        Assert.Contains("boom", e.Message, StringComparison.Ordinal);

        Assert.Equal(before.Serialize(), store.LoadSession(alice)!.Serialize());
        Assert.Equal(knownPair.PublicKey, store.GetIdentity(alice));
        Assert.NotNull(store.LoadPreKey(7));
        Assert.Equal(before.Serialize(), (byte[])RawSqlite.Scalar(path, "SELECT record FROM sessions WHERE name = 'alice';")!);

        // The same commit, once the prekey can go, changes all three.
        RawSqlite.Execute(path, "DROP TRIGGER fail_prekey_delete;");
        store.Commit(new SessionCommit(alice, after, changedPair.PublicKey, 7));
        Assert.Equal(after.Serialize(), store.LoadSession(alice)!.Serialize());
        Assert.Equal(changedPair.PublicKey, store.GetIdentity(alice));
        Assert.Null(store.LoadPreKey(7));
    }

    public static TheoryData<string> CorruptSessions => new()
    {
        "ffffffff",          // not a protobuf
        "0a020863",          // a current session of version 99, and nothing else
        "0a",                // truncated
    };

    [Theory]
    [MemberData(nameof(CorruptSessions))]
    public void A_corrupt_session_row_is_InvalidRecord(string hex)
    {
        string path = _directory.File("store.db");
        using var identity = IdentityKeyPair.Generate();
        using SqliteSignalProtocolStore store = SqliteSignalProtocolStore.Create(path, identity, 1);
        var bob = new ProtocolAddress("bob", 1);
        store.StoreSession(bob, SignalProtocolStoreContractTests.NewSessionRecord());
        Assert.NotNull(store.LoadSession(bob));

        RawSqlite.Execute(path, "UPDATE sessions SET record = $record;", ("$record", Convert.FromHexString(hex)));

        SignalProtocolException e = Assert.Throws<SignalProtocolException>(() => store.LoadSession(bob));
        Assert.Equal(SignalError.InvalidRecord, e.Reason);
    }

    [Fact]
    public void A_truncated_session_row_is_InvalidRecord()
    {
        string path = _directory.File("store.db");
        using var identity = IdentityKeyPair.Generate();
        using SqliteSignalProtocolStore store = SqliteSignalProtocolStore.Create(path, identity, 1);
        var bob = new ProtocolAddress("bob", 1);
        byte[] valid = SignalProtocolStoreContractTests.NewSessionRecord().Serialize();
        RawSqlite.Execute(path, "INSERT INTO sessions (name, device_id, record) VALUES ('bob', 1, $record);", ("$record", valid[..^3]));

        SignalProtocolException e = Assert.Throws<SignalProtocolException>(() => store.LoadSession(bob));
        Assert.Equal(SignalError.InvalidRecord, e.Reason);
    }

    [Fact]
    public void Corrupt_prekey_signed_prekey_and_identity_rows_are_InvalidRecord()
    {
        string path = _directory.File("store.db");
        using var identity = IdentityKeyPair.Generate();
        using SqliteSignalProtocolStore store = SqliteSignalProtocolStore.Create(path, identity, 1);
        using PreKeyRecord eight = PreKeyRecord.Generate(8);
        using SignedPreKeyRecord signed = SignedPreKeyRecord.Generate(3, identity, DateTimeOffset.UnixEpoch);
        store.StorePreKey(eight);
        store.StoreSignedPreKey(signed);
        store.SaveIdentity(new ProtocolAddress("bob", 1), identity.PublicKey);

        RawSqlite.Execute(path, "INSERT INTO pre_keys (id, record) VALUES (1, x'0102030405');");
        RawSqlite.Execute(path, "INSERT INTO pre_keys (id, record) SELECT 9, record FROM pre_keys WHERE id = 8;"); // names itself 8
        RawSqlite.Execute(path, "UPDATE signed_pre_keys SET record = substr(record, 1, length(record) - 10);");
        RawSqlite.Execute(path, "UPDATE identities SET identity_key = x'0601020304';");

        Assert.NotNull(store.LoadPreKey(8));
        Assert.Equal(SignalError.InvalidRecord, Assert.Throws<SignalProtocolException>(() => store.LoadPreKey(1)).Reason);
        Assert.Equal(SignalError.InvalidRecord, Assert.Throws<SignalProtocolException>(() => store.LoadPreKey(9)).Reason);
        Assert.Equal(SignalError.InvalidRecord, Assert.Throws<SignalProtocolException>(() => store.LoadSignedPreKey(3)).Reason);
        Assert.Equal(SignalError.InvalidRecord, Assert.Throws<SignalProtocolException>(() => store.GetIdentity(new ProtocolAddress("bob", 1))).Reason);
    }

    [Theory]
    [InlineData("UPDATE local_identity SET private_key = randomblob(32);")]
    [InlineData("UPDATE local_identity SET private_key = randomblob(31);")]
    [InlineData("UPDATE local_identity SET public_key = CAST(x'05' || randomblob(32) AS BLOB);")]
    public void A_corrupt_local_identity_is_InvalidRecord_on_open(string corruption)
    {
        string path = NewStoreFile();
        RawSqlite.Execute(path, corruption);

        SignalProtocolException e = Assert.Throws<SignalProtocolException>(() => SqliteSignalProtocolStore.Open(path));
        Assert.Equal(SignalError.InvalidRecord, e.Reason);
        // The refusal released the file: a second attempt meets the same corruption, not "already open".
        Assert.Equal(SignalError.InvalidRecord, Assert.Throws<SignalProtocolException>(() => SqliteSignalProtocolStore.Open(path)).Reason);
    }

    [Fact]
    public void A_file_is_open_in_at_most_one_store_of_a_process()
    {
        string path = NewStoreFile();
        string samePathSpelledOtherwise = System.IO.Path.Combine(_directory.Path, ".", "store.db");

        using (SqliteSignalProtocolStore store = SqliteSignalProtocolStore.Open(path))
        {
            Assert.Throws<InvalidOperationException>(() => SqliteSignalProtocolStore.Open(samePathSpelledOtherwise));
            using var identity = IdentityKeyPair.Generate();
            Assert.Throws<InvalidOperationException>(() => SqliteSignalProtocolStore.Create(path, identity, 1));
            Assert.NotNull(store.GetIdentityKeyPair()); // the first store is unaffected
        }
        using SqliteSignalProtocolStore reopened = SqliteSignalProtocolStore.Open(samePathSpelledOtherwise);
        Assert.Equal(1u, reopened.GetLocalRegistrationId());
    }

    [Fact]
    public void Dispose_wipes_the_identity_and_closes_the_store()
    {
        string path = NewStoreFile();
        SqliteSignalProtocolStore store = SqliteSignalProtocolStore.Open(path);
        IdentityKeyPair identity = store.GetIdentityKeyPair();
        Assert.False(identity.PrivateKey.IsDisposed);

        store.Dispose();
        store.Dispose(); // idempotent

        Assert.True(identity.PrivateKey.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => store.LoadSession(new ProtocolAddress("bob", 1)));
        Assert.Throws<ObjectDisposedException>(() => store.RemovePreKey(1));
        Assert.Throws<ObjectDisposedException>(() => store.GetIdentityKeyPair());
        Assert.False(File.Exists(path + "-wal"));
    }

    [Fact]
    public void A_removed_prekey_leaves_no_copy_of_its_private_key_in_the_file()
    {
        string path = NewStoreFile();
        using PreKeyRecord preKey = PreKeyRecord.Generate(7);
        byte[] privateKey = new byte[X25519PrivateKey.SizeInBytes];
        preKey.PrivateKey.Export(privateKey);

        using (SqliteSignalProtocolStore store = SqliteSignalProtocolStore.Open(path))
        {
            store.StorePreKey(preKey);
        }
        Assert.True(Contains(File.ReadAllBytes(path), privateKey)); // the search finds it while it is stored

        using (SqliteSignalProtocolStore store = SqliteSignalProtocolStore.Open(path))
        {
            store.Commit(new SessionCommit(new ProtocolAddress("alice", 1), new SessionRecord(), store.GetIdentityKeyPair().PublicKey, 7));
        }
        Assert.False(Contains(File.ReadAllBytes(path), privateKey));
    }

    [Fact]
    public void Many_threads_run_conversations_with_many_peers_over_one_store()
    {
        string path = _directory.File("alice.db");
        using var aliceIdentity = IdentityKeyPair.Generate();
        using var alice = new Party("alice", store: SqliteSignalProtocolStore.Create(path, aliceIdentity, 1));
        Party[] peers = [.. Enumerable.Range(0, 8).Select(i => new Party($"peer{i}"))];
        try
        {
            Parallel.ForEach(peers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, peer =>
            {
                alice.Cipher.ProcessPreKeyBundle(peer.Address, peer.Bundle());
                for (int i = 0; i < 10; i++)
                {
                    Assert.Equal($"a{i}", peer.Decrypt(alice, alice.Encrypt(peer, $"a{i}")));
                    Assert.Equal($"p{i}", alice.Decrypt(peer, peer.Encrypt(alice, $"p{i}")));
                }
            });
            foreach (Party peer in peers)
            {
                Assert.Equal(peer.Identity, alice.Store.GetIdentity(peer.Address));
                Assert.Equal(alice.Store.LoadSession(peer.Address)!.AliceBaseKey, peer.Store.LoadSession(alice.Address)!.AliceBaseKey);
            }
        }
        finally
        {
            foreach (Party peer in peers)
            {
                peer.Dispose();
            }
        }
    }

    public void Dispose() => _directory.Dispose();

    private string NewStoreFile()
    {
        string path = _directory.File("store.db");
        using var identity = IdentityKeyPair.Generate();
        SqliteSignalProtocolStore.Create(path, identity, 1).Dispose();
        return path;
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
