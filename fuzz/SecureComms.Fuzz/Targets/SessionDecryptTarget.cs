using SecureComms.Crypto;
using SecureComms.Signal;
using SecureComms.Signal.Sessions;
using SecureComms.Signal.Stores;
using SecureComms.Signal.Wire;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// Fuzz target <c>session-decrypt</c>: Bob's <see cref="SessionCipher.Decrypt(ProtocolAddress, CiphertextMessageType, ReadOnlySpan{byte})"/>
/// of a message "from Alice", with Bob's state fixed: a session established by a real exchange (Bob's
/// bundle → Alice's PreKeySignalMessage → Bob decrypts → Bob replies → Alice decrypts), plus two unused
/// one-time prekeys and the signed prekey. Input: <c>type selector:u8 ‖ message</c>; an even first byte is
/// a SignalMessage (2), an odd one a PreKeySignalMessage (3).
/// </summary>
/// <remarks>
/// <para><b>Determinism.</b> Bob's store is rebuilt for every input from <see cref="SessionDecryptFixture"/>
/// (his identity scalar, session record and prekey records, exported once by the seed generator), so that a
/// successful decryption does not carry over to the next input, and the seeds (authentic messages Alice
/// sent after the snapshot) decrypt in every process.</para>
/// <para><b>Oracles.</b> Only <see cref="SignalProtocolException"/> escapes. A refusal leaves Bob's
/// session record for Alice, her recorded identity, every prekey and the answered base keys byte-identical. A success is possible
/// only for a message whose ratchet message (the whole input for type 2, the wrapped one for type 3) is one
/// Alice really sent, and yields its plaintext; decrypting the same input again is then refused, and that
/// refusal changes nothing either.</para>
/// </remarks>
public static class SessionDecryptTarget
{
    /// <summary>The target's name on the command line and in <c>fuzz/corpus/</c>.</summary>
    public const string Name = "session-decrypt";

    /// <summary>Alice's address at Bob.</summary>
    internal static readonly ProtocolAddress Alice = new("alice", 1);

    /// <summary>Runs one input.</summary>
    public static void Target(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }
        CiphertextMessageType type = (data[0] & 1) == 0 ? CiphertextMessageType.Whisper : CiphertextMessageType.PreKey;
        ReadOnlySpan<byte> body = data[1..];
        using SignalParty bob = Bob(SessionDecryptFixture.State);
        byte[] plaintext;
        try
        {
            plaintext = bob.Cipher.Decrypt(Alice, type, body);
        }
        catch (SignalProtocolException)
        {
            FuzzFindingException.Require(bob.Snapshot(Alice, body).AsSpan().SequenceEqual(Fixed.Snapshot(body)), "a refused message leaves Bob's store byte-identical");
            return;
        }
        byte[] ratchetMessage = type == CiphertextMessageType.Whisper ? body.ToArray() : PreKeySignalMessage.Parse(body).Message.Serialized;
        int index = Array.FindIndex(Fixed.Authentic, a => a.Message.AsSpan().SequenceEqual(ratchetMessage));
        FuzzFindingException.Require(index >= 0, "only a message Alice sent decrypts");
        FuzzFindingException.Require(plaintext.AsSpan().SequenceEqual(Fixed.Authentic[index].Plaintext), "a message decrypts to the plaintext Alice sent");

        byte[] after = bob.Snapshot(Alice, body);
        bool replayed;
        try
        {
            bob.Cipher.Decrypt(Alice, type, body);
            replayed = true;
        }
        catch (SignalProtocolException)
        {
            replayed = false;
        }
        FuzzFindingException.Require(!replayed, "a message decrypts at most once");
        FuzzFindingException.Require(bob.Snapshot(Alice, body).AsSpan().SequenceEqual(after), "a refused replay leaves Bob's store byte-identical");
    }

    /// <summary>A fresh Bob from <paramref name="state"/> (the fixture, or the seed generator's export).</summary>
    internal static SignalParty Bob(SessionDecryptState state)
    {
        var identity = new IdentityKeyPair(X25519PrivateKey.Import(Convert.FromHexString(state.IdentityScalar), exportable: true));
        var bob = new SignalParty("bob", identity, state.RegistrationId);
        bob.Store.SaveIdentity(Alice, new IdentityKey(X25519PublicKey.Decode(Convert.FromHexString(state.AliceIdentity).AsSpan(1))));
        bob.Store.StoreSession(Alice, SessionRecord.Deserialize(Convert.FromHexString(state.Session)));
        foreach (string hex in state.PreKeys)
        {
            using PreKeyRecord record = PreKeyRecord.Deserialize(Convert.FromHexString(hex));
            bob.AddPreKey(record);
        }
        foreach (string hex in state.SignedPreKeys)
        {
            using SignedPreKeyRecord record = SignedPreKeyRecord.Deserialize(Convert.FromHexString(hex));
            bob.AddSignedPreKey(record);
        }
        return bob;
    }

    /// <summary>What the fixture gives, decoded at first use (not before: the seed generator calls <see cref="Bob"/>
    /// while the fixture may be stale).</summary>
    private static class Fixed
    {
        /// <summary>Bob's state as the fixture has it (snapshotted once from a freshly built store), as
        /// <see cref="SignalParty.Snapshot"/> gives it for <paramref name="message"/>: a fresh store has answered
        /// no base key, so a PreKeySignalMessage only adds a 0 byte.</summary>
        public static byte[] Snapshot(ReadOnlySpan<byte> message) =>
            SignalParty.TryParsePreKey(message) is null ? Base : [.. Base, 0];

        private static readonly byte[] Base = MakeSnapshot();

        private static byte[] MakeSnapshot()
        {
            using SignalParty bob = Bob(SessionDecryptFixture.State);
            return bob.Snapshot(Alice);
        }

        /// <summary>Alice's authentic ratchet messages (serialized) and their plaintexts.</summary>
        public static readonly (byte[] Message, byte[] Plaintext)[] Authentic =
            [.. SessionDecryptFixture.State.Authentic.Select(a => (Convert.FromHexString(a.Message), Convert.FromHexString(a.Plaintext)))];
    }
}

/// <summary>
/// Bob's state for <see cref="SessionDecryptTarget"/>, hex-encoded: his identity scalar and registration id,
/// Alice's identity key (0x05 ‖ u), his session record for Alice, his unused one-time prekeys and signed
/// prekeys (records), and the ratchet messages Alice sent after the snapshot with their plaintexts.
/// </summary>
internal sealed record SessionDecryptState(
    string IdentityScalar,
    uint RegistrationId,
    string AliceIdentity,
    string Session,
    string[] PreKeys,
    string[] SignedPreKeys,
    (string Message, string Plaintext)[] Authentic);
