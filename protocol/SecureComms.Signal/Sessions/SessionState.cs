using Google.Protobuf;
using SecureComms.Crypto;
using SecureComms.Signal.Ratchet;
using SecureComms.Signal.Wire;

namespace SecureComms.Signal.Sessions;

/// <summary>
/// One session with a peer: the Double Ratchet state plus what the session layer adds around it (the two
/// identities, registration ids, the X3DH run it came from, and the prekey ids to repeat until the peer
/// acknowledges). Wraps its stored form, so that a copy is one protobuf clone and a refused message
/// leaves the serialized record byte-identical.
/// </summary>
internal sealed class SessionState
{
    private SessionState(Proto.SessionStructure structure) => Structure = structure;

    /// <summary>The stored form (mutable; the record owns it).</summary>
    public Proto.SessionStructure Structure { get; }

    /// <summary>Our identity key.</summary>
    public IdentityKey LocalIdentity => PublicKeyEncoding.DecodeIdentity(Structure.LocalIdentity.Span, "The stored local identity");

    /// <summary>The peer's identity key.</summary>
    public IdentityKey RemoteIdentity => PublicKeyEncoding.DecodeIdentity(Structure.RemoteIdentity.Span, "The stored remote identity");

    /// <summary>The ratchet over this session's state.</summary>
    public DoubleRatchet Ratchet => new(Structure.Ratchet);

    /// <summary>The unacknowledged X3DH parameters, while the peer has not replied.</summary>
    public Proto.PendingPreKey? PendingPreKey => Structure.PendingPreKey;

    /// <summary>A session from a completed X3DH run.</summary>
    public static SessionState Create(
        IdentityKey local,
        IdentityKey remote,
        Proto.RatchetState ratchet,
        X25519PublicKey aliceBaseKey,
        uint localRegistrationId,
        uint remoteRegistrationId) => new(new Proto.SessionStructure
        {
            SessionVersion = MessageVersion.Current,
            LocalIdentity = ByteString.CopyFrom(local.Serialize()),
            RemoteIdentity = ByteString.CopyFrom(remote.Serialize()),
            Ratchet = ratchet,
            AliceBaseKey = ByteString.CopyFrom(PublicKeyEncoding.Serialize(aliceBaseKey)),
            LocalRegistrationId = localRegistrationId,
            RemoteRegistrationId = remoteRegistrationId,
        });

    /// <summary>Wraps a stored session after checking that every field the protocol reads is well formed.</summary>
    /// <exception cref="SignalProtocolException">InvalidRecord.</exception>
    public static SessionState FromStored(Proto.SessionStructure structure)
    {
        if (structure.SessionVersion != MessageVersion.Current
            || structure.Ratchet?.SenderChain?.ChainKey is null
            || structure.Ratchet.RootKey.Length != RatchetKdf.KeySizeInBytes
            || !IsKey(structure.LocalIdentity) || !IsKey(structure.RemoteIdentity) || !IsKey(structure.AliceBaseKey)
            || !IsChain(structure.Ratchet.SenderChain, sender: true)
            || !structure.Ratchet.ReceiverChains.All(c => IsChain(c, sender: false))
            || (structure.PendingPreKey is { } pending && (!IsKey(pending.BaseKey) || !IsPendingTimestamp(pending.TimestampUnixMs))))
        {
            throw new SignalProtocolException(SignalError.InvalidRecord, "A stored session is malformed.");
        }
        return new SessionState(structure);
    }

    /// <summary>A deep copy, to try a message on.</summary>
    public SessionState Clone() => new(Structure.Clone());

    /// <summary>Remembers the X3DH parameters to repeat in every message until the peer replies.</summary>
    public void SetPendingPreKey(uint? preKeyId, uint signedPreKeyId, X25519PublicKey baseKey, DateTimeOffset now)
    {
        Structure.PendingPreKey = new Proto.PendingPreKey
        {
            SignedPreKeyId = signedPreKeyId,
            BaseKey = ByteString.CopyFrom(PublicKeyEncoding.Serialize(baseKey)),
            TimestampUnixMs = now.ToUnixTimeMilliseconds(),
        };
        if (preKeyId is uint id)
        {
            Structure.PendingPreKey.PreKeyId = id;
        }
    }

    /// <summary>Whether this session was initiated by us more than <see cref="SessionLimits.MaxUnacknowledgedSessionAge"/> ago and never answered.</summary>
    public bool IsExpiredUnacknowledged(DateTimeOffset now) =>
        PendingPreKey is { } pending
        && DateTimeOffset.FromUnixTimeMilliseconds(pending.TimestampUnixMs) + SessionLimits.MaxUnacknowledgedSessionAge < now;

    /// <summary>Whether this session came from the X3DH run with initiator base key <paramref name="baseKey"/>.</summary>
    public bool HasAliceBaseKey(X25519PublicKey baseKey) =>
        Structure.AliceBaseKey.Span.SequenceEqual(PublicKeyEncoding.Serialize(baseKey)); // public data

    /// <summary>Authenticates and decrypts with this state, advancing it; the peer's reply acknowledges the session.</summary>
    public byte[] Decrypt(SignalMessage message)
    {
        byte[] plaintext = Ratchet.RatchetDecrypt(message, new AssociatedData(RemoteIdentity, LocalIdentity));
        Structure.PendingPreKey = null;
        return plaintext;
    }

    private static bool IsKey(ByteString key) => IdentityKey.TryDeserialize(key.Span, out _);

    /// <summary>Whether <see cref="IsExpiredUnacknowledged"/> can date a pending prekey sent at
    /// <paramref name="unixMs"/> (a DateTimeOffset, to which the maximum age can still be added).
    /// Found by the <c>session-record</c> fuzz target.</summary>
    private static bool IsPendingTimestamp(long unixMs) =>
        unixMs >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds()
        && unixMs <= (DateTimeOffset.MaxValue - SessionLimits.MaxUnacknowledgedSessionAge).ToUnixTimeMilliseconds();

    private static bool IsChain(Proto.Chain chain, bool sender) =>
        IsKey(chain.RatchetKey)
        && chain.ChainKey is { } key && key.Key.Length == RatchetKdf.KeySizeInBytes
        && (!sender || chain.RatchetKeyPrivate.Length == X25519PrivateKey.SizeInBytes)
        && chain.MessageKeys.Count <= SessionLimits.MaxMessageKeys
        && chain.MessageKeys.All(k => k.CipherKey.Length == 32 && k.MacKey.Length == 32 && k.Iv.Length == 16);
}
