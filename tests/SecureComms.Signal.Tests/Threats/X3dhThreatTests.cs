using System.Security.Cryptography;
using Google.Protobuf;
using SecureComms.Crypto;
using SecureComms.Signal.Ratchet;
using SecureComms.Signal.Sessions;
using SecureComms.Signal.Tests.Sessions;
using SecureComms.Signal.Wire;

namespace SecureComms.Signal.Tests.Threats;

/// <summary>
/// THREATMODEL S3 (unknown key-share), S4 (key-compromise impersonation) and S5 (replayed first message):
/// attacks on X3DH's authentication, each of which succeeds against a protocol without the named defence.
/// </summary>
public sealed class X3dhThreatTests
{
    /// <summary>
    /// Mallory relays Alice's first message to Bob as her own (her identity key in place of Alice's), so that
    /// Bob would believe he shares a key with Mallory while Alice believes she shares it with Bob. The
    /// identities are bound twice: in DH1/DH2 of X3DH and as the MAC's associated data, so Bob refuses and
    /// keeps no session with Mallory.
    /// </summary>
    [Fact]
    public void Unknown_key_share_a_relayed_first_message_under_another_identity_is_refused()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        using var mallory = new Party("mallory");
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.Bundle());
        CiphertextMessage first = alice.Encrypt(bob, "for bob, from alice");

        var body = Proto.PreKeySignalMessage.Parser.ParseFrom(first.Serialized.AsSpan(1));
        body.IdentityKey = ByteString.CopyFrom(mallory.Identity.Serialize());
        byte[] relayed = [first.Serialized[0], .. body.ToByteArray()];

        SignalProtocolException refused = bob.Refuses(mallory.Address, CiphertextMessageType.PreKey, relayed);
        Assert.Equal(SignalError.BadMac, refused.Reason);
        Assert.Null(bob.Store.LoadSession(mallory.Address));
        Assert.Null(bob.Store.GetIdentity(mallory.Address));
        Assert.True(bob.HasPreKey(7)); // the one-time prekey is still there for Alice's genuine message
        Assert.Equal("for bob, from alice", bob.Decrypt(alice, first));
    }

    /// <summary>
    /// Eve has stolen Alice's identity private key and tries to impersonate Bob to Alice with a first message
    /// that claims Bob's identity. With the stolen key she can compute a static-static DH(IKa, IKb), which a
    /// protocol using it in place of DH1 would accept; X3DH's DH1 = DH(IKb, SPKa) needs Bob's identity key
    /// or Alice's signed prekey, neither of which she has, so Alice refuses.
    /// </summary>
    [Fact]
    public void Key_compromise_impersonation_with_alices_identity_key_eve_cannot_pose_as_bob()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        var bundle = alice.Bundle(preKeyId: 11, signedPreKeyId: 12);
        Party.Establish(bob, alice); // Alice trusts Bob's identity (first use)
        byte[] stolen = new byte[X25519PrivateKey.SizeInBytes];
        alice.Store.GetIdentityKeyPair().PrivateKey.Export(stolen);
        using X25519PrivateKey alicesIdentity = X25519PrivateKey.Import(stolen);
        using X25519PrivateKey eveBase = X25519PrivateKey.Generate();

        // Eve's best X3DH as "Bob": the static-static agreement in place of DH1, then DH2, DH3, DH4.
        byte[] input = [.. Enumerable.Repeat((byte)0xFF, 32),
            .. Agree(alicesIdentity, bob.Identity.PublicKey),
            .. Agree(eveBase, bundle.IdentityKey.PublicKey),
            .. Agree(eveBase, bundle.SignedPreKey),
            .. Agree(eveBase, bundle.PreKey!)];
        byte[] secret = new byte[64];
        HkdfSha256.DeriveKey(input, [], "WhisperText"u8, secret);
        var state = SessionState.Create(bob.Identity, alice.Identity, DoubleRatchet.InitAlice(secret, bundle.SignedPreKey), eveBase.PublicKey, 1, alice.Store.GetLocalRegistrationId());
        SignalMessage inner = state.Ratchet.RatchetEncrypt("wire the money"u8, new AssociatedData(bob.Identity, alice.Identity));
        PreKeySignalMessage forged = PreKeySignalMessage.Create(1, 11, 12, eveBase.PublicKey, bob.Identity, inner);
        CryptographicOperations.ZeroMemory(stolen);

        string before = alice.Snapshot(bob);
        SignalProtocolException refused = alice.Refuses(bob.Address, CiphertextMessageType.PreKey, forged.Serialized);
        Assert.Equal(SignalError.BadMac, refused.Reason);
        Assert.Equal(before, alice.Snapshot(bob));
    }

    /// <summary>
    /// A first message replayed with bit 255 of its base key flipped: X25519 ignores that bit, so the X3DH
    /// secret is the same, but the bytes differ from the base key Bob remembers. Non-canonical keys are
    /// refused at parsing, so the replay cannot pass for a new session (found by the signal-interaction fuzzer).
    /// </summary>
    [Fact]
    public void A_first_message_replayed_with_a_non_canonical_base_key_is_refused()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.Bundle(oneTimePreKey: false));
        CiphertextMessage first = alice.Encrypt(bob, "once");
        Assert.Equal("once", bob.Decrypt(alice, first));

        var body = Proto.PreKeySignalMessage.Parser.ParseFrom(first.Serialized.AsSpan(1));
        byte[] baseKey = body.BaseKey.ToByteArray();
        baseKey[^1] ^= 0x80;
        body.BaseKey = ByteString.CopyFrom(baseKey);
        byte[] replayed = [first.Serialized[0], .. body.ToByteArray()];

        string before = bob.Snapshot(alice);
        Assert.Equal(SignalError.InvalidKey, bob.Refuses(alice.Address, CiphertextMessageType.PreKey, replayed).Reason);
        Assert.Equal(before, bob.Snapshot(alice));
    }

    private static byte[] Agree(X25519PrivateKey ours, X25519PublicKey theirs)
    {
        byte[] shared = new byte[X25519.SharedSecretSizeInBytes];
        Assert.Equal(AgreementResult.Success, X25519.Agree(ours, theirs, shared));
        return shared;
    }
}
