using Google.Protobuf;
using SecureComms.Signal.Stores;
using SecureComms.Signal.Wire;

namespace SecureComms.Signal.Tests.Sessions;

/// <summary>
/// Inputs only a hostile peer or a corrupted store produces: low-order keys (refused before any state
/// changes), a sending chain at the end of its counters, malformed stored keys.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly byte[] LowOrderKey = [IdentityKey.DjbType, .. new byte[32]]; // u = 0: canonical, order 1

    [Fact]
    public void A_SignalMessage_with_a_low_order_ratchet_key_is_refused_before_any_DH_output_is_used()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        Party.Establish(alice, bob);
        var body = new Proto.SignalMessage { RatchetKey = ByteString.CopyFrom(LowOrderKey), Counter = 0, PreviousCounter = 0, Ciphertext = ByteString.CopyFrom(new byte[16]) };
        byte[] wire = [MessageVersion.EmittedByte, .. body.ToByteArray(), .. new byte[SignalMessage.MacSizeInBytes]];
        string before = bob.Snapshot(alice);

        Assert.Equal(SignalError.InvalidKey, bob.Refuses(alice.Address, CiphertextMessageType.Whisper, wire).Reason);
        Assert.Equal(before, bob.Snapshot(alice));
    }

    [Fact]
    public void A_PreKeySignalMessage_with_a_low_order_base_key_is_refused_and_consumes_nothing()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.Bundle());
        CiphertextMessage first = alice.Encrypt(bob, "hi");
        var body = Proto.PreKeySignalMessage.Parser.ParseFrom(first.Serialized.AsSpan(1));
        body.BaseKey = ByteString.CopyFrom(LowOrderKey);
        string before = bob.Snapshot(alice);

        Assert.Equal(SignalError.InvalidKey, bob.Refuses(alice.Address, CiphertextMessageType.PreKey, [first.Serialized[0], .. body.ToByteArray()]).Reason);
        Assert.Equal(before, bob.Snapshot(alice));
        Assert.Equal("hi", bob.Decrypt(alice, first));
    }

    [Fact]
    public void A_sending_chain_at_its_last_counter_refuses_to_encrypt()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        Party.Establish(alice, bob);
        var record = Proto.RecordStructure.Parser.ParseFrom(alice.RecordBytes(bob));
        record.Current.Ratchet.SenderChain.ChainKey.Index = uint.MaxValue;
        alice.Store.StoreSession(bob.Address, SecureComms.Signal.Sessions.SessionRecord.Deserialize(record.ToByteArray()));
        string before = alice.Snapshot(bob);

        var refused = Assert.Throws<SignalProtocolException>(() => alice.Encrypt(bob, "one too many"));
        Assert.Equal((SignalError.InvalidRecord, (long)uint.MaxValue), (refused.Reason, refused.Value));
        Assert.Equal(before, alice.Snapshot(bob));
    }

    [Fact]
    public void Malformed_stored_prekeys_are_InvalidRecord()
    {
        using var preKey = PreKeyRecord.Generate(1);
        var stored = Proto.PreKeyRecordStructure.Parser.ParseFrom(preKey.Serialize());
        Assert.Equal(1u, PreKeyRecord.Deserialize(stored.ToByteArray()).Id);

        var shortKey = stored.Clone();
        shortKey.PrivateKey = ByteString.CopyFrom(shortKey.PrivateKey.Span[..31]);
        var mismatched = stored.Clone();
        using (var other = PreKeyRecord.Generate(2))
        {
            mismatched.PublicKey = Proto.PreKeyRecordStructure.Parser.ParseFrom(other.Serialize()).PublicKey;
        }
        foreach (var bad in new[] { shortKey, mismatched })
        {
            Assert.Equal(SignalError.InvalidRecord, Assert.Throws<SignalProtocolException>(() => PreKeyRecord.Deserialize(bad.ToByteArray())).Reason);
        }

        using var identity = IdentityKeyPair.Generate();
        using var signed = SignedPreKeyRecord.Generate(3, identity, DateTimeOffset.UnixEpoch);
        var signedStored = Proto.SignedPreKeyRecordStructure.Parser.ParseFrom(signed.Serialize());
        var shortSignature = signedStored.Clone();
        shortSignature.Signature = ByteString.CopyFrom(new byte[63]);
        var early = signedStored.Clone();
        early.TimestampUnixMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds() - 1;
        var late = signedStored.Clone();
        late.TimestampUnixMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() + 1;
        foreach (var bad in new[] { shortSignature, early, late })
        {
            Assert.Equal(SignalError.InvalidRecord, Assert.Throws<SignalProtocolException>(() => SignedPreKeyRecord.Deserialize(bad.ToByteArray())).Reason);
        }
        foreach (long edge in new[] { DateTimeOffset.MinValue.ToUnixTimeMilliseconds(), DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() })
        {
            signedStored.TimestampUnixMs = edge;
            Assert.Equal(edge, SignedPreKeyRecord.Deserialize(signedStored.ToByteArray()).Timestamp.ToUnixTimeMilliseconds());
        }
    }
}
