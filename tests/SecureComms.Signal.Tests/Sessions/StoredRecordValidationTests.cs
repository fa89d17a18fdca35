using Google.Protobuf;
using SecureComms.Signal.Sessions;

namespace SecureComms.Signal.Tests.Sessions;

/// <summary>
/// A stored record is checked field by field when it is read: each malformed field is InvalidRecord, never a
/// later crash in the ratchet.
/// </summary>
public sealed class StoredRecordValidationTests
{
    public static TheoryData<string> Corruptions => new()
    {
        "session_version", "root_key", "local_identity", "remote_identity", "alice_base_key",
        "sender_chain_key", "sender_private_key", "receiver_chain_key", "receiver_ratchet_key",
        "skipped_cipher_key", "skipped_mac_key", "skipped_iv", "pending_base_key", "pending_timestamp_low",
        "pending_timestamp_high", "too_many_skipped_keys",
    };

    [Theory, MemberData(nameof(Corruptions))]
    public void Each_malformed_field_is_InvalidRecord(string corruption)
    {
        Proto.RecordStructure record = AliceRecordWithSkippedKeysAndPending();
        Assert.NotNull(SessionRecord.Deserialize(record.ToByteArray())); // intact: it parses
        Corrupt(record.Current, corruption);
        var refused = Assert.Throws<SignalProtocolException>(() => SessionRecord.Deserialize(record.ToByteArray()));
        Assert.Equal(SignalError.InvalidRecord, refused.Reason);
    }

    [Fact]
    public void More_archived_states_than_the_limit_is_InvalidRecord()
    {
        Proto.RecordStructure record = AliceRecordWithSkippedKeysAndPending();
        for (int i = 0; i <= SessionLimits.ArchivedStatesMaxLength; i++)
        {
            record.Previous.Add(record.Current.Clone());
        }
        var refused = Assert.Throws<SignalProtocolException>(() => SessionRecord.Deserialize(record.ToByteArray()));
        Assert.Equal((SignalError.InvalidRecord, 41L, 40L), (refused.Reason, refused.Value, refused.Limit));
        record.Previous.RemoveAt(0);
        Assert.Equal(40, SessionRecord.Deserialize(record.ToByteArray()).ArchivedStateCount);
    }

    /// <summary>
    /// Alice's record after X3DH and a reply from Bob that skipped two of his messages (a sender chain, receiver
    /// chains, two skipped keys), with a pending prekey added so that its fields can be corrupted too.
    /// </summary>
    private static Proto.RecordStructure AliceRecordWithSkippedKeysAndPending()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        Party.Establish(alice, bob);
        bob.Encrypt(alice, "lost 1");
        bob.Encrypt(alice, "lost 2");
        alice.Decrypt(bob, bob.Encrypt(alice, "arrives"));
        var record = Proto.RecordStructure.Parser.ParseFrom(alice.RecordBytes(bob));
        Assert.Equal(2, record.Current.Ratchet.ReceiverChains[^1].MessageKeys.Count);
        record.Current.PendingPreKey = new Proto.PendingPreKey { SignedPreKeyId = 1, BaseKey = record.Current.AliceBaseKey, TimestampUnixMs = 1 };
        return record;
    }

    private static void Corrupt(Proto.SessionStructure s, string field)
    {
        ByteString Short(ByteString b) => ByteString.CopyFrom(b.Span[..^1]);
        Proto.Chain receiver = s.Ratchet.ReceiverChains[^1];
        switch (field)
        {
            case "session_version": s.SessionVersion = 4; break;
            case "root_key": s.Ratchet.RootKey = Short(s.Ratchet.RootKey); break;
            case "local_identity": s.LocalIdentity = Short(s.LocalIdentity); break;
            case "remote_identity": s.RemoteIdentity = ByteString.CopyFrom(new byte[33]); break; // type byte 0
            case "alice_base_key": s.AliceBaseKey = ByteString.Empty; break;
            case "sender_chain_key": s.Ratchet.SenderChain.ChainKey.Key = Short(s.Ratchet.SenderChain.ChainKey.Key); break;
            case "sender_private_key": s.Ratchet.SenderChain.RatchetKeyPrivate = ByteString.Empty; break;
            case "receiver_chain_key": receiver.ChainKey = null; break;
            case "receiver_ratchet_key": receiver.RatchetKey = Short(receiver.RatchetKey); break;
            case "skipped_cipher_key": receiver.MessageKeys[0].CipherKey = Short(receiver.MessageKeys[0].CipherKey); break;
            case "skipped_mac_key": receiver.MessageKeys[1].MacKey = Short(receiver.MessageKeys[1].MacKey); break;
            case "skipped_iv": receiver.MessageKeys[0].Iv = Short(receiver.MessageKeys[0].Iv); break;
            case "pending_base_key": s.PendingPreKey.BaseKey = Short(s.PendingPreKey.BaseKey); break;
            case "pending_timestamp_low": s.PendingPreKey.TimestampUnixMs = long.MinValue; break;
            case "pending_timestamp_high": s.PendingPreKey.TimestampUnixMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds(); break;
            case "too_many_skipped_keys":
                while (receiver.MessageKeys.Count <= SessionLimits.MaxMessageKeys)
                {
                    receiver.MessageKeys.Add(receiver.MessageKeys[0].Clone());
                }
                break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field, null);
        }
    }
}
