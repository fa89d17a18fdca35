using SecureComms.Signal.Stores;
using SecureComms.Signal.Wire;

namespace SecureComms.Signal.Tests.Sessions;

/// <summary>
/// THREATMODEL S10: a changed identity is refused with UntrustedIdentity on every path (a bundle, an encrypt,
/// a SignalMessage, a PreKeySignalMessage), before anything changes, and accepted once the user approves it.
/// </summary>
public sealed class IdentityTrustTests
{
    [Fact]
    public void A_bundle_with_a_changed_identity_is_refused_until_approved()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        Party.Establish(alice, bob);
        using var reinstalled = new Party("bob");
        var bundle = reinstalled.Bundle();
        string before = alice.Snapshot(bob);

        var refused = Assert.Throws<SignalProtocolException>(() => alice.Cipher.ProcessPreKeyBundle(bob.Address, bundle));
        Assert.Equal(SignalError.UntrustedIdentity, refused.Reason);
        Assert.Equal(before, alice.Snapshot(bob));

        alice.Store.SaveIdentity(bob.Address, reinstalled.Identity);
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bundle);
        Assert.Equal("again", reinstalled.Decrypt(alice, alice.Encrypt(reinstalled, "again")));
    }

    [Fact]
    public void Encrypting_to_a_peer_whose_recorded_identity_changed_is_refused()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        using var other = new Party("other");
        Party.Establish(alice, bob);
        alice.Store.SaveIdentity(bob.Address, other.Identity); // e.g. learned from a newer bundle meanwhile
        string before = alice.Snapshot(bob);

        var refused = Assert.Throws<SignalProtocolException>(() => alice.Encrypt(bob, "to whom?"));
        Assert.Equal(SignalError.UntrustedIdentity, refused.Reason);
        Assert.Equal(before, alice.Snapshot(bob));
    }

    [Fact]
    public void A_SignalMessage_from_a_session_whose_identity_is_no_longer_trusted_is_refused()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        using var other = new Party("other");
        Party.Establish(alice, bob);
        CiphertextMessage message = bob.Encrypt(alice, "still me");
        alice.Store.SaveIdentity(bob.Address, other.Identity);
        string before = alice.Snapshot(bob);

        Assert.Equal(SignalError.UntrustedIdentity, alice.Refuses(bob, message).Reason);
        Assert.Equal(before, alice.Snapshot(bob));

        alice.Store.SaveIdentity(bob.Address, bob.Identity);
        Assert.Equal("still me", alice.Decrypt(bob, message));
    }

    [Fact]
    public void A_PreKeySignalMessage_from_a_changed_identity_is_refused_and_consumes_nothing()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        Party.Establish(alice, bob);
        using var reinstalled = new Party("alice");
        reinstalled.Cipher.ProcessPreKeyBundle(bob.Address, bob.Bundle(preKeyId: 77, signedPreKeyId: 78));
        CiphertextMessage first = reinstalled.Encrypt(bob, "new phone");
        string before = bob.Snapshot(alice);

        Assert.Equal(SignalError.UntrustedIdentity, bob.Refuses(alice, first).Reason);
        Assert.Equal(before, bob.Snapshot(alice));
        Assert.True(bob.HasPreKey(77));
        Assert.False(IdentityTrust.IsTrusted(bob.Store, alice.Address, reinstalled.Identity));
    }
}
