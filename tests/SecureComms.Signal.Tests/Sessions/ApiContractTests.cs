using SecureComms.Crypto;
using SecureComms.Signal.Sessions;
using SecureComms.Signal.Stores;
using SecureComms.Signal.X3dh;

namespace SecureComms.Signal.Tests.Sessions;

/// <summary>The public API's argument checks, and bundles that contradict themselves.</summary>
public sealed class ApiContractTests
{
    [Fact]
    public void Null_arguments_are_refused_with_their_names()
    {
        using var party = new Party("alice");
        ISignalProtocolStore store = party.Store;
        using var key = X25519PrivateKey.Generate(exportable: true);
        var address = new ProtocolAddress("bob", 1);
        Assert.Equal("store", Assert.Throws<ArgumentNullException>(() => new SessionCipher(null!)).ParamName);
        Assert.Equal("bundle", Assert.Throws<ArgumentNullException>(() => party.Cipher.ProcessPreKeyBundle(address, null!)).ParamName);
        Assert.Equal("message", Assert.Throws<ArgumentNullException>(() => party.Cipher.Decrypt(address, (Wire.SignalMessage)null!)).ParamName);
        Assert.Equal("message", Assert.Throws<ArgumentNullException>(() => party.Cipher.Decrypt(address, (Wire.PreKeySignalMessage)null!)).ParamName);
        Assert.Equal("publicKey", Assert.Throws<ArgumentNullException>(() => new IdentityKey(null!)).ParamName);
        Assert.Equal("privateKey", Assert.Throws<ArgumentNullException>(() => new IdentityKeyPair(null!)).ParamName);
        Assert.Equal("privateKey", Assert.Throws<ArgumentNullException>(() => new PreKeyRecord(1, null!)).ParamName);
        Assert.Equal("privateKey", Assert.Throws<ArgumentNullException>(() => new SignedPreKeyRecord(1, null!, new byte[64], DateTimeOffset.UnixEpoch)).ParamName);
        Assert.Equal("signature", Assert.Throws<ArgumentNullException>(() => new SignedPreKeyRecord(1, key, null!, DateTimeOffset.UnixEpoch)).ParamName);
        Assert.Equal("identity", Assert.Throws<ArgumentNullException>(() => SignedPreKeyRecord.Generate(1, null!, DateTimeOffset.UnixEpoch)).ParamName);
        Assert.Equal("store", Assert.Throws<ArgumentNullException>(() => BundlePublishing.PublishBundle(null!, 1, 1, null, DateTimeOffset.UnixEpoch)).ParamName);
        Assert.Equal("store", Assert.Throws<ArgumentNullException>(() => IdentityTrust.IsTrusted(null!, address, party.Identity)).ParamName);
        Assert.Equal("identity", Assert.Throws<ArgumentNullException>(() => new InMemorySignalProtocolStore(null!, 1)).ParamName);
        Assert.Equal("identityKey", Assert.Throws<ArgumentNullException>(() => store.SaveIdentity(address, null!)).ParamName);
        Assert.Equal("record", Assert.Throws<ArgumentNullException>(() => store.StorePreKey(null!)).ParamName);
        Assert.Equal("record", Assert.Throws<ArgumentNullException>(() => store.StoreSignedPreKey(null!)).ParamName);
        Assert.Equal("record", Assert.Throws<ArgumentNullException>(() => store.StoreSession(address, null!)).ParamName);
        Assert.Equal("baseKey", Assert.Throws<ArgumentNullException>(() => store.IsBaseKeyUsed(1, null!)).ParamName);
        Assert.Equal("commit", Assert.Throws<ArgumentNullException>(() => store.Commit(null!)).ParamName);
    }

    [Fact]
    public void A_bundle_with_a_one_time_prekey_id_but_no_key_or_the_reverse_is_refused()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        PreKeyBundle bundle = bob.Bundle();
        foreach (PreKeyBundle inconsistent in new[] { bundle with { PreKey = null }, bundle with { PreKeyId = null } })
        {
            var refused = Assert.Throws<SignalProtocolException>(() => alice.Cipher.ProcessPreKeyBundle(bob.Address, inconsistent));
            Assert.Equal(SignalError.InvalidKey, refused.Reason);
            Assert.Null(alice.Record(bob));
        }
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bundle);
        Assert.Equal("ok", bob.Decrypt(alice, alice.Encrypt(bob, "ok")));
    }

    [Fact]
    public void A_repeated_first_message_does_not_consume_a_one_time_prekey_republished_under_its_id()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.Bundle(preKeyId: 9, signedPreKeyId: 4));
        var first = alice.Encrypt(bob, "one");
        var second = alice.Encrypt(bob, "two"); // still a PreKeySignalMessage naming prekey 9
        Assert.Equal("one", bob.Decrypt(alice, first));
        Assert.False(bob.HasPreKey(9));
        bob.Bundle(preKeyId: 9, signedPreKeyId: 4); // Bob publishes a fresh one-time prekey under the same id

        Assert.Equal("two", bob.Decrypt(alice, second));
        Assert.True(bob.HasPreKey(9));
    }
}
