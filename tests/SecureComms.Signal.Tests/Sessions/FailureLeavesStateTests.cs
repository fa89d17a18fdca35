using SecureComms.Crypto;
using System.Security.Cryptography;
using Google.Protobuf;
using SecureComms.Signal.Wire;

namespace SecureComms.Signal.Tests.Sessions;

/// <summary>
/// A refused message changes nothing: for tampered, truncated, wrongly versioned and misdirected messages,
/// the refusal has the right reason and both parties' session records, recorded identities and prekeys
/// are byte-identical afterwards; the authentic message then still decrypts.
/// </summary>
public sealed class FailureLeavesStateTests
{
    private static readonly SignalError[] StructuralRefusals =
        [SignalError.InvalidMessage, SignalError.InvalidKey, SignalError.BadMac, SignalError.DuplicateMessage, SignalError.TooFarInFuture];

    [Fact]
    public void Every_byte_of_a_SignalMessage_flipped_is_refused_and_changes_nothing()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        Party.Establish(alice, bob);
        CiphertextMessage authentic = alice.Encrypt(bob, "hi");
        Assert.Equal(CiphertextMessageType.Whisper, authentic.Type);
        byte[] wire = authentic.Serialized;

        SignalMessage parsed = SignalMessage.Parse(wire);
        int keyAt = IndexOf(wire, [IdentityKey.DjbType, .. parsed.RatchetKey.Bytes]);
        int ciphertextAt = IndexOf(wire, parsed.Ciphertext);
        int macAt = wire.Length - SignalMessage.MacSizeInBytes;
        Assert.True(keyAt > 0 && ciphertextAt > keyAt && ciphertextAt + parsed.Ciphertext.Length == macAt);

        int refused = 0;
        for (int position = 0; position < wire.Length; position++)
        {
            foreach (byte mask in new byte[] { 0x01, 0x80 })
            {
                byte[] tampered = (byte[])wire.Clone();
                tampered[position] ^= mask;
                SignalError[] expected = position switch
                {
                    0 => [mask == 0x80 ? SignalError.UnknownVersion : SignalError.BadMac], // 0xB3; 0x32 is v3 but MACed
                    _ when position == keyAt => [SignalError.InvalidKey], // the 0x05 type byte
                    // bit 255 of the ratchet key: a non-canonical key, refused before any DH
                    _ when position == keyAt + X25519PublicKey.SizeInBytes && mask == 0x80 => [SignalError.InvalidKey],
                    _ when position > keyAt && position < keyAt + IdentityKey.SerializedSizeInBytes => [SignalError.BadMac],
                    _ when position >= ciphertextAt => [SignalError.BadMac], // ciphertext and MAC
                    _ => StructuralRefusals, // protobuf tags, lengths and counters
                };
                AssertRefusedAndUnchanged(bob, alice, alice.Address, CiphertextMessageType.Whisper, tampered, expected);
                refused++;
            }
        }
        Assert.Equal(2 * wire.Length, refused);

        Assert.Equal("hi", bob.Decrypt(alice, authentic));
    }

    [Fact]
    public void Tampered_PreKeySignalMessages_are_refused_and_consume_nothing()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.Bundle(preKeyId: 7, signedPreKeyId: 3));
        CiphertextMessage authentic = alice.Encrypt(bob, "first");
        Assert.Equal(CiphertextMessageType.PreKey, authentic.Type);
        byte[] wire = authentic.Serialized;
        PreKeySignalMessage parsed = PreKeySignalMessage.Parse(wire);

        // Layout (fields in number order): 0x33, pre_key_id (1), base_key (2), identity_key (3), message (4),
        // registration_id (5), signed_pre_key_id (6).
        Assert.Equal(new byte[] { 0x08, 7 }, wire[1..3]);
        Assert.Equal(new byte[] { 0x30, 3 }, wire[^2..]);
        int baseKeyAt = IndexOf(wire, [IdentityKey.DjbType, .. parsed.BaseKey.Bytes]);
        int identityAt = IndexOf(wire, parsed.IdentityKey.Serialize());
        int innerAt = IndexOf(wire, parsed.Message.Serialized);

        var cases = new List<(int Position, byte Mask, SignalError[] Expected)>
        {
            (2, 0x01, [SignalError.InvalidPreKeyId]),        // one-time prekey 6: none
            (wire.Length - 1, 0x01, [SignalError.InvalidSignedPreKeyId]), // signed prekey 2: none
            (baseKeyAt, 0x01, [SignalError.InvalidKey]),
            (identityAt, 0x01, [SignalError.InvalidKey]),
        };
        foreach (int offset in new[] { 1, 16, 32 })
        {
            cases.Add((baseKeyAt + offset, 0x01, [SignalError.BadMac])); // another X3DH: wrong keys
            cases.Add((identityAt + offset, 0x01, [SignalError.BadMac])); // first contact: trusted, but wrong X3DH and AD
        }
        for (int i = 0; i < parsed.Message.Serialized.Length; i++)
        {
            // Inside the wrapped SignalMessage: the version byte (0x32 still v3, and MACed), the key, ciphertext, MAC...
            cases.Add((innerAt + i, 0x01, i == 0 ? [SignalError.BadMac] : [.. StructuralRefusals, SignalError.UnknownVersion]));
        }
        // Not included: registration_id, which the protocol does not authenticate (libsignal neither), and the
        // low nibble of the outer version byte, which is ignored (0x32 and 0x34 are v3 as well).

        foreach (var (position, mask, expected) in cases)
        {
            byte[] tampered = (byte[])wire.Clone();
            tampered[position] ^= mask;
            AssertRefusedAndUnchanged(bob, alice, alice.Address, CiphertextMessageType.PreKey, tampered, expected);
            Assert.True(bob.HasPreKey(7));
            Assert.Null(bob.Store.GetIdentity(alice.Address));
        }

        Assert.Equal("first", bob.Decrypt(alice, authentic));
        Assert.False(bob.HasPreKey(7));
    }

    [Fact]
    public void Truncated_messages_are_refused_and_change_nothing()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.Bundle());
        CiphertextMessage preKey = alice.Encrypt(bob, "first");

        for (int length = 0; length < preKey.Serialized.Length; length++)
        {
            AssertRefusedAndUnchanged(bob, alice, alice.Address, CiphertextMessageType.PreKey, preKey.Serialized[..length], [SignalError.InvalidMessage]);
        }
        Assert.Equal("first", bob.Decrypt(alice, preKey));
        Assert.Equal("reply", alice.Decrypt(bob, bob.Encrypt(alice, "reply")));

        CiphertextMessage whisper = alice.Encrypt(bob, "second");
        Assert.Equal(CiphertextMessageType.Whisper, whisper.Type);
        for (int length = 0; length < whisper.Serialized.Length; length++)
        {
            AssertRefusedAndUnchanged(bob, alice, alice.Address, CiphertextMessageType.Whisper, whisper.Serialized[..length], [SignalError.InvalidMessage]);
        }
        Assert.Equal("second", bob.Decrypt(alice, whisper));
    }

    [Theory]
    [InlineData(0x23, SignalError.LegacyVersion, 2)]
    [InlineData(0x43, SignalError.UnknownVersion, 4)]
    [InlineData(0x03, SignalError.LegacyVersion, 0)]
    [InlineData(0xF3, SignalError.UnknownVersion, 15)]
    public void Wrong_version_bytes_are_refused_and_change_nothing(byte version, SignalError reason, int value)
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.Bundle());
        CiphertextMessage preKey = alice.Encrypt(bob, "first");

        // The PreKeySignalMessage's own version byte...
        byte[] outer = (byte[])preKey.Serialized.Clone();
        outer[0] = version;
        SignalProtocolException e = AssertRefusedAndUnchanged(bob, alice, alice.Address, CiphertextMessageType.PreKey, outer, [reason]);
        Assert.Equal(value, e.Value);
        Assert.Equal(3, e.Limit);

        // ...and that of the SignalMessage it wraps.
        var body = Proto.PreKeySignalMessage.Parser.ParseFrom(preKey.Serialized.AsSpan(1));
        byte[] inner = body.Message.ToByteArray();
        inner[0] = version;
        body.Message = ByteString.CopyFrom(inner);
        byte[] rewrapped = [preKey.Serialized[0], .. body.ToByteArray()];
        AssertRefusedAndUnchanged(bob, alice, alice.Address, CiphertextMessageType.PreKey, rewrapped, [reason]);

        Assert.Equal("first", bob.Decrypt(alice, preKey));
        Assert.Equal("reply", alice.Decrypt(bob, bob.Encrypt(alice, "reply")));

        // A SignalMessage.
        CiphertextMessage whisper = alice.Encrypt(bob, "second");
        byte[] tampered = (byte[])whisper.Serialized.Clone();
        tampered[0] = version;
        AssertRefusedAndUnchanged(bob, alice, alice.Address, CiphertextMessageType.Whisper, tampered, [reason]);
        Assert.Equal("second", bob.Decrypt(alice, whisper));
    }

    [Fact]
    public void Messages_for_an_unknown_session_are_refused_and_change_nothing()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        using var carol = new Party("carol");
        using var mallory = new Party("mallory");
        Party.Establish(alice, bob);
        Party.Establish(alice, carol);
        CiphertextMessage toBob = alice.Encrypt(bob, "for bob");
        CiphertextMessage toCarol = alice.Encrypt(carol, "for carol");

        // Nobody at all: Mallory has no session with Alice.
        AssertRefusedAndUnchanged(mallory, alice, alice.Address, toBob.Type, toBob.Serialized, [SignalError.NoSession]);
        Assert.Empty(mallory.RecordBytes(alice));

        // Bob has no session with the claimed sender.
        string bobWithAlice = bob.Snapshot(alice);
        AssertRefusedAndUnchanged(bob, mallory, mallory.Address, toBob.Type, toBob.Serialized, [SignalError.NoSession]);
        Assert.Equal(bobWithAlice, bob.Snapshot(alice));
        Assert.Null(bob.Record(mallory));
        Assert.Null(bob.Store.GetIdentity(mallory.Address));

        // Bob has a session with Alice, but not the one this message belongs to.
        AssertRefusedAndUnchanged(bob, alice, alice.Address, toCarol.Type, toCarol.Serialized, [SignalError.BadMac]);

        // An unknown message type.
        AssertRefusedAndUnchanged(bob, alice, alice.Address, (CiphertextMessageType)1, toBob.Serialized, [SignalError.InvalidMessage]);

        Assert.Equal("for bob", bob.Decrypt(alice, toBob));
        Assert.Equal("for carol", carol.Decrypt(alice, toCarol));
    }

    [Fact]
    public void A_replay_into_an_archived_session_is_a_duplicate_and_changes_nothing()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        Party.Establish(alice, bob);
        CiphertextMessage first = bob.Encrypt(alice, "first");
        CiphertextMessage second = bob.Encrypt(alice, "second");
        Assert.Equal("first", alice.Decrypt(bob, first));

        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.NextBundle()); // a reset: that session is archived
        Assert.Equal(1, alice.Record(bob)!.ArchivedStateCount);

        // The current session cannot decrypt it (BadMac); the archived one knows it as already received, and
        // that is the answer, as in libsignal (a duplicate stops the search).
        SignalProtocolException e = AssertRefusedAndUnchanged(alice, bob, bob.Address, first.Type, first.Serialized, [SignalError.DuplicateMessage]);
        Assert.Equal(Party.Counter(first), (uint)e.Value!);

        Assert.Equal("second", alice.Decrypt(bob, second));
        Assert.True(Party.SameSession(alice, bob)); // the archived session is current again
    }

    [Fact]
    public void A_SignalMessage_with_version_byte_0x34_is_accepted_when_MACed_over_0x34()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        Party.Establish(alice, bob);

        byte[] macKey = alice.NextSendingKeys(bob).MacKey;
        CiphertextMessage authentic = alice.Encrypt(bob, "libsignal's byte");
        Assert.Equal(MessageVersion.EmittedByte, authentic.Serialized[0]);
        Assert.Equal(0x33, authentic.Serialized[0]);

        // The crafting is right: over 0x33 it gives the very MAC the library wrote.
        Assert.Equal(authentic.Serialized[^8..], Mac(macKey, alice, bob, authentic.Serialized[..^8]));

        // 0x34 in place of 0x33 without a new MAC: the byte is MACed as received, so this is a forgery.
        byte[] flipped = (byte[])authentic.Serialized.Clone();
        flipped[0] = 0x34;
        AssertRefusedAndUnchanged(bob, alice, alice.Address, CiphertextMessageType.Whisper, flipped, [SignalError.BadMac]);

        // 0x34 with the MAC computed over 0x34, as libsignal's sender would: accepted.
        byte[] remaced = (byte[])flipped.Clone();
        Mac(macKey, alice, bob, remaced[..^8]).CopyTo(remaced, remaced.Length - 8);
        Assert.Equal(0x34, SignalMessage.Parse(remaced).Serialized[0]);
        Assert.Equal("libsignal's byte", bob.Decrypt(alice, new CiphertextMessage(CiphertextMessageType.Whisper, remaced)));

        // Same counter: the 0x33 original is now a duplicate.
        Assert.Equal(SignalError.DuplicateMessage, bob.Refuses(alice, authentic).Reason);
    }

    [Fact]
    public void A_PreKeySignalMessage_with_version_byte_0x34_is_accepted()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.Bundle());
        CiphertextMessage preKey = alice.Encrypt(bob, "first");
        byte[] v34 = (byte[])preKey.Serialized.Clone();
        v34[0] = 0x34;
        Assert.Equal("first", Decrypt(bob, alice, CiphertextMessageType.PreKey, v34));
    }

    /// <summary>
    /// Decrypts <paramref name="wire"/> at <paramref name="receiver"/> as from <paramref name="from"/> and expects a
    /// refusal for one of <paramref name="expected"/>, with both parties' stores exactly as before.
    /// </summary>
    private static SignalProtocolException AssertRefusedAndUnchanged(
        Party receiver, Party sender, ProtocolAddress from, CiphertextMessageType type, byte[] wire, SignalError[] expected)
    {
        string receiverBefore = receiver.Snapshot(sender), senderBefore = sender.Snapshot(receiver);
        byte[] claimedRecordBefore = receiver.Store.LoadSession(from)?.Serialize() ?? [];
        SignalProtocolException e = receiver.Refuses(from, type, wire);
        Assert.True(expected.Contains(e.Reason), $"refused with {e.Reason} ({e.Message}); expected {string.Join(" or ", expected)}");
        Assert.Equal(receiverBefore, receiver.Snapshot(sender));
        Assert.Equal(senderBefore, sender.Snapshot(receiver));
        Assert.Equal(claimedRecordBefore, receiver.Store.LoadSession(from)?.Serialize() ?? []);
        return e;
    }

    private static string Decrypt(Party receiver, Party sender, CiphertextMessageType type, byte[] wire) =>
        System.Text.Encoding.UTF8.GetString(receiver.Cipher.Decrypt(sender.Address, type, wire));

    /// <summary>The truncated HMAC-SHA256 of a SignalMessage: sender identity ‖ receiver identity ‖ version byte ‖ body.</summary>
    private static byte[] Mac(byte[] macKey, Party sender, Party receiver, byte[] versionAndBody)
    {
        byte[] full = HMACSHA256.HashData(macKey, (byte[])[.. sender.Identity.Serialize(), .. receiver.Identity.Serialize(), .. versionAndBody]);
        return full[..SignalMessage.MacSizeInBytes];
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        int index = haystack.AsSpan().IndexOf(needle);
        Assert.True(index >= 0);
        Assert.Equal(-1, haystack.AsSpan(index + 1).IndexOf(needle)); // unique
        return index;
    }
}
