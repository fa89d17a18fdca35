using SecureComms.Signal.Sessions;
using SecureComms.Signal.Wire;
using SecureComms.Signal.X3dh;

namespace SecureComms.Signal.Tests.Sessions;

/// <summary>
/// libsignal's PreKeySignalMessage scenarios (<c>rust/protocol/tests/session.rs</c>), named as there without the
/// <c>test_</c> prefix (see <see cref="SessionTests"/>): a failed first message changes no store, a first message to an
/// archived session, the signed prekey not saved, duplicates, and a first message replayed under another sender.
/// </summary>
public sealed class PreKeyMessageTests
{
    private const string Sartre = "L'homme est condamné à être libre";

    // libsignal: prekey_message_failed_decryption_does_not_update_stores
    [Fact]
    public void Prekey_message_failed_decryption_does_not_update_stores()
    {
        using var alice = new Party("+14151111111", time: new ManualTime(DateTimeOffset.UnixEpoch));
        using var bob = new Party("+14151111112", time: new ManualTime(DateTimeOffset.UnixEpoch));
        bob.Cipher.ProcessPreKeyBundle(alice.Address, alice.Bundle(0, 0));

        CiphertextMessage message = bob.Encrypt(alice, "from Bob");
        Assert.Equal(CiphertextMessageType.PreKey, message.Type);
        CiphertextMessage perturbed = PerturbInnerMac(message);

        string before = alice.Snapshot(bob);
        Assert.Equal(SignalError.BadMac, alice.Refuses(bob, perturbed).Reason);
        Assert.Equal(before, alice.Snapshot(bob));
        Assert.Null(alice.Store.GetIdentity(bob.Address));
        Assert.Null(alice.Store.LoadSession(bob.Address));
        Assert.True(alice.HasPreKey(0));
    }

    // libsignal: prekey_message_failed_decryption_does_not_update_stores_even_when_previously_archived
    [Fact]
    public void Prekey_message_failed_decryption_does_not_update_stores_even_when_previously_archived()
    {
        using var alice = new Party("+14151111111");
        using var bob = new Party("+14151111112");
        bob.Cipher.ProcessPreKeyBundle(alice.Address, alice.Bundle(0, 0));

        Assert.Equal("from Bob", alice.Decrypt(bob, bob.Encrypt(alice, "from Bob")));

        // Alice archives the session because she feels like it.
        SessionRecord aliceWithBob = alice.Record(bob)!;
        Assert.True(aliceWithBob.HasUsableSenderChain(DateTimeOffset.UtcNow));
        aliceWithBob.ArchiveCurrentState();
        Assert.False(aliceWithBob.HasUsableSenderChain(DateTimeOffset.UtcNow));
        alice.Store.StoreSession(bob.Address, aliceWithBob);
        byte[] archived = aliceWithBob.Serialize();

        CiphertextMessage message = bob.Encrypt(alice, "from Bob");
        Assert.Equal(CiphertextMessageType.PreKey, message.Type);
        CiphertextMessage perturbed = PerturbInnerMac(message);

        Assert.Equal(SignalError.BadMac, alice.Refuses(bob, perturbed).Reason);

        // Because the decryption failed, the session is still archived.
        Assert.False(alice.Cipher.HasUsableSession(bob.Address));
        Assert.Equal(archived, alice.RecordBytes(bob));

        // And the authentic message still decrypts, in the archived session it belongs to.
        Assert.Equal("from Bob", alice.Decrypt(bob, message));
        Assert.True(alice.Cipher.HasUsableSession(bob.Address));
    }

    // libsignal: prekey_message_to_archived_session
    [Fact]
    public void Prekey_message_to_archived_session()
    {
        using var alice = new Party("+14151111111");
        using var bob = new Party("+14151111112");
        PreKeyBundle aliceBundle = alice.Bundle(0, 0);
        PreKeyBundle bobBundle = bob.Bundle(10, 10);

        // First Bob sends a message to Alice.
        bob.Cipher.ProcessPreKeyBundle(alice.Address, aliceBundle);
        CiphertextMessage fromBob = bob.Encrypt(alice, "from Bob");
        Assert.Equal(CiphertextMessageType.PreKey, fromBob.Type);
        Assert.Equal("from Bob", alice.Decrypt(bob, fromBob));

        // Alice archives that session and starts a new one with Bob...
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bobBundle);
        CiphertextMessage unsent = alice.Encrypt(bob, "from Alice");
        Assert.Equal(CiphertextMessageType.PreKey, unsent.Type);
        Assert.False(Party.SameSession(alice, bob));

        // ...but before she sends, a second message from Bob arrives on the old one.
        CiphertextMessage fromBob2 = bob.Encrypt(alice, "from Bob 2");
        Assert.Equal(CiphertextMessageType.PreKey, fromBob2.Type);
        Assert.Equal("from Bob 2", alice.Decrypt(bob, fromBob2));

        // That promotes Bob's session back to current at Alice.
        Assert.True(Party.SameSession(alice, bob));
        Assert.Equal(1, alice.Record(bob)!.ArchivedStateCount);
    }

    // libsignal: test_signedprekey_not_saved
    [Fact]
    public void Signedprekey_not_saved()
    {
        using var alice = new Party("+14151111111");
        using var bob = new Party("+14151111112");
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.NextBundle());

        CiphertextMessage outgoing1 = alice.Encrypt(bob, Sartre);
        CiphertextMessage outgoing2 = alice.Encrypt(bob, "L'homme est condamné à nouveau à être libre");
        Assert.Equal(CiphertextMessageType.PreKey, outgoing1.Type);
        Assert.Equal(Sartre, bob.Decrypt(alice, outgoing1));

        // outgoing2's ratchet message, re-wrapped with another base key and no one-time prekey: Bob runs X3DH
        // from his signed prekey for a session the message does not belong to, and must not fall back to
        // the (now archived) session that could decrypt it.
        PreKeySignalMessage original = PreKeySignalMessage.Parse(outgoing2.Serialized);
        using var otherBaseKey = Crypto.X25519PrivateKey.Generate();
        PreKeySignalMessage malicious = PreKeySignalMessage.Create(
            original.RegistrationId, null, original.SignedPreKeyId, otherBaseKey.PublicKey, original.IdentityKey, original.Message);

        string before = bob.Snapshot(alice);
        SignalProtocolException e = bob.Refuses(alice.Address, CiphertextMessageType.PreKey, malicious.Serialized);
        Assert.Equal(SignalError.BadMac, e.Reason);
        Assert.Equal(before, bob.Snapshot(alice));

        // The authentic message is unaffected.
        Assert.Equal("L'homme est condamné à nouveau à être libre", bob.Decrypt(alice, outgoing2));
    }

    // libsignal: test_duplicate_message_error_returned
    [Fact]
    public void Duplicate_message_error_returned()
    {
        using var alice = new Party("+14151111111");
        using var bob = new Party("+14151111112");
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.NextBundle());

        CiphertextMessage message = alice.Encrypt(bob, "this_will_be_a_dup");
        Assert.Equal("this_will_be_a_dup", bob.Decrypt(alice, message));
        string before = bob.Snapshot(alice);
        SignalProtocolException e = bob.Refuses(alice, message);
        Assert.Equal(SignalError.DuplicateMessage, e.Reason);
        Assert.Equal(0, e.Value);
        Assert.Equal(1, e.Limit);
        Assert.Equal(before, bob.Snapshot(alice));
    }

    // libsignal: prekey_message_sent_from_different_user_is_rejected. libsignal (since v0.81) rejects the replay
    // through its Kyber last-resort prekey, which remembers the base keys it served; we remember the base keys
    // each signed prekey answered (ISignedPreKeyStore.IsBaseKeyUsed), so the replay is a duplicate, with or
    // without a one-time prekey (next test); the consumed one-time prekey would refuse it too.
    [Fact]
    public void Prekey_message_sent_from_different_user_is_rejected()
    {
        using var alice = new Party("+14151111111");
        using var bob = new Party("+14151111112");
        using var mallory = new Party("+14151111113", 'M');
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.Bundle(5, 6));

        CiphertextMessage preKeyMessage = alice.Encrypt(bob, "bad");
        Assert.Equal("bad", bob.Decrypt(alice, preKeyMessage));
        Assert.NotNull(bob.Record(alice));

        string before = bob.Snapshot(mallory);
        Assert.Equal(SignalError.DuplicateMessage, bob.Refuses(mallory, preKeyMessage).Reason);
        Assert.Equal(before, bob.Snapshot(mallory));
        Assert.Null(bob.Record(mallory));
        Assert.Null(bob.Store.GetIdentity(mallory.Address));
    }

    // libsignal: prekey_message_sent_from_different_user_is_rejected, exactly as there (no one-time prekey). libsignal
    // refuses it since 0.81 by remembering the base keys each last-resort prekey answered; we remember them per
    // signed prekey (ISignedPreKeyStore.IsBaseKeyUsed), so the replay is a duplicate.
    [Fact]
    public void Prekey_message_sent_from_different_user_without_one_time_prekey_is_rejected()
    {
        using var alice = new Party("+14151111111");
        using var bob = new Party("+14151111112");
        using var mallory = new Party("+14151111113", 'M');
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.Bundle(signedPreKeyId: 6, oneTimePreKey: false));

        CiphertextMessage preKeyMessage = alice.Encrypt(bob, "bad");
        Assert.Equal("bad", bob.Decrypt(alice, preKeyMessage));
        Assert.Equal(SignalError.DuplicateMessage, bob.Refuses(mallory, preKeyMessage).Reason);
        Assert.Null(bob.Record(mallory));
    }

    /// <summary>The same PreKeySignalMessage with the last byte of its inner message's MAC changed (libsignal's perturbation).</summary>
    private static CiphertextMessage PerturbInnerMac(CiphertextMessage message)
    {
        PreKeySignalMessage original = PreKeySignalMessage.Parse(message.Serialized);
        byte[] inner = (byte[])original.Message.Serialized.Clone();
        inner[^1] = unchecked((byte)(inner[^1] + 1));
        PreKeySignalMessage perturbed = PreKeySignalMessage.Create(
            original.RegistrationId, original.PreKeyId, original.SignedPreKeyId, original.BaseKey, original.IdentityKey, SignalMessage.Parse(inner));
        return new CiphertextMessage(CiphertextMessageType.PreKey, perturbed.Serialized);
    }
}
