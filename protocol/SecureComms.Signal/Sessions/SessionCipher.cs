using SecureComms.Crypto;
using SecureComms.Signal.Ratchet;
using SecureComms.Signal.Stores;
using SecureComms.Signal.Wire;
using SecureComms.Signal.X3dh;

namespace SecureComms.Signal.Sessions;

/// <summary>
/// Private Conversations for one local party: start sessions from prekey bundles, encrypt and decrypt.
/// The one place where X3DH and the Double Ratchet meet (Double Ratchet §5.1).
/// </summary>
/// <remarks>
/// <para><b>Atomicity.</b> Every operation loads a fresh copy of the peer's record, works on it, and ends
/// with one <see cref="ISignalProtocolStore.Commit"/>; a refusal commits nothing, so the stores are exactly
/// as before (the consumed one-time prekey included).</para>
/// <para><b>Concurrency.</b> Operations on one peer address are serialized by a lock tied to the store, so
/// any number of threads and <see cref="SessionCipher"/> instances may share a store.</para>
/// <para><b>Identity.</b> Trust on first use (<see cref="IdentityTrust"/>); a changed identity is refused
/// with UntrustedIdentity until the user approves it with <see cref="IIdentityKeyStore.SaveIdentity"/>.</para>
/// <para>References: libsignal <c>session_cipher.rs</c>, <c>session_builder.rs</c>, <c>ratchet.rs</c>.</para>
/// </remarks>
public sealed class SessionCipher
{
    private readonly ISignalProtocolStore _store;
    private readonly TimeProvider _time;

    /// <summary>A cipher over <paramref name="store"/>; <paramref name="time"/> dates sessions (system clock by default).</summary>
    public SessionCipher(ISignalProtocolStore store, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// X3DH as initiator: verifies the bundle's signed prekey (before anything else), agrees a session with
    /// it and makes it current. The following messages are PreKeySignalMessages until the peer replies.
    /// </summary>
    /// <exception cref="SignalProtocolException">InvalidSignature, InvalidKey (an inconsistent one-time prekey, a
    /// low-order key), UntrustedIdentity.</exception>
    public void ProcessPreKeyBundle(ProtocolAddress remote, PreKeyBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (!bundle.HasValidSignature())
        {
            throw new SignalProtocolException(SignalError.InvalidSignature, $"The signed prekey of {remote}'s bundle is not signed by its identity key.");
        }
        if ((bundle.PreKeyId is null) != (bundle.PreKey is null))
        {
            throw new SignalProtocolException(SignalError.InvalidKey, $"{remote}'s bundle has a one-time prekey id without its key, or a key without its id.");
        }
        lock (SessionLocks.For(_store, remote))
        {
            IdentityTrust.Require(_store, remote, bundle.IdentityKey);
            SessionRecord record = _store.LoadSession(remote) ?? new SessionRecord();
            IdentityKeyPair ours = _store.GetIdentityKeyPair();
            using X25519PrivateKey baseKey = X25519PrivateKey.Generate();
            byte[] secret = X3dhAgreement.Initiator(ours.PrivateKey, baseKey, bundle.IdentityKey.PublicKey, bundle.SignedPreKey, bundle.PreKey);
            var state = SessionState.Create(
                ours.PublicKey,
                bundle.IdentityKey,
                DoubleRatchet.InitAlice(secret, bundle.SignedPreKey),
                baseKey.PublicKey,
                _store.GetLocalRegistrationId(),
                bundle.RegistrationId);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
            state.SetPendingPreKey(bundle.PreKeyId, bundle.SignedPreKeyId, baseKey.PublicKey, _time.GetUtcNow());
            record.PromoteState(state);
            _store.Commit(new SessionCommit(remote, record, bundle.IdentityKey));
        }
    }

    /// <summary>Encrypts the next message to <paramref name="remote"/>.</summary>
    /// <exception cref="SignalProtocolException">NoSession (none, or expired unacknowledged), UntrustedIdentity.</exception>
    public CiphertextMessage Encrypt(ProtocolAddress remote, ReadOnlySpan<byte> plaintext)
    {
        lock (SessionLocks.For(_store, remote))
        {
            SessionRecord record = _store.LoadSession(remote) ?? throw NoSession(remote);
            SessionState state = record.Current ?? throw NoSession(remote);
            if (state.IsExpiredUnacknowledged(_time.GetUtcNow()))
            {
                throw new SignalProtocolException(SignalError.NoSession, $"The session with {remote} was never acknowledged and expired.");
            }
            IdentityKey local = state.LocalIdentity, remoteIdentity = state.RemoteIdentity;
            IdentityTrust.Require(_store, remote, remoteIdentity);
            SignalMessage message = state.Ratchet.RatchetEncrypt(plaintext, new AssociatedData(local, remoteIdentity));
            CiphertextMessage ciphertext = state.PendingPreKey is { } pending
                ? new CiphertextMessage(CiphertextMessageType.PreKey, PreKeySignalMessage.Create(
                    state.Structure.LocalRegistrationId,
                    pending.HasPreKeyId ? pending.PreKeyId : null,
                    pending.SignedPreKeyId,
                    PublicKeyEncoding.Decode(pending.BaseKey.Span, "The stored base key"),
                    local,
                    message).Serialized)
                : new CiphertextMessage(CiphertextMessageType.Whisper, message.Serialized);
            _store.Commit(new SessionCommit(remote, record, remoteIdentity));
            return ciphertext;
        }
    }

    /// <summary>Parses and decrypts a message of either type.</summary>
    /// <exception cref="SignalProtocolException">Any refusal; the stores are unchanged.</exception>
    public byte[] Decrypt(ProtocolAddress remote, CiphertextMessageType type, ReadOnlySpan<byte> serialized) => type switch
    {
        CiphertextMessageType.Whisper => Decrypt(remote, SignalMessage.Parse(serialized)),
        CiphertextMessageType.PreKey => Decrypt(remote, PreKeySignalMessage.Parse(serialized)),
        _ => throw new SignalProtocolException(SignalError.InvalidMessage, $"Unknown message type {(int)type}.", (int)type),
    };

    /// <summary>Decrypts a message of an established session (current or archived).</summary>
    /// <exception cref="SignalProtocolException">NoSession, DuplicateMessage, TooFarInFuture, BadMac, InvalidMessage, UntrustedIdentity.</exception>
    public byte[] Decrypt(ProtocolAddress remote, SignalMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (SessionLocks.For(_store, remote))
        {
            SessionRecord record = _store.LoadSession(remote) ?? throw NoSession(remote);
            byte[] plaintext = DecryptWithRecord(remote, record, message);
            IdentityKey identity = record.Current!.RemoteIdentity;
            IdentityTrust.Require(_store, remote, identity);
            _store.Commit(new SessionCommit(remote, record, identity));
            return plaintext;
        }
    }

    /// <summary>
    /// X3DH as responder, then decryption: a PreKeySignalMessage either continues the session its base key
    /// started or starts one from our signed (and one-time) prekey, which it then consumes.
    /// </summary>
    /// <exception cref="SignalProtocolException">UntrustedIdentity, InvalidSignedPreKeyId, InvalidPreKeyId, and the decryption refusals.</exception>
    public byte[] Decrypt(ProtocolAddress remote, PreKeySignalMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (SessionLocks.For(_store, remote))
        {
            IdentityTrust.Require(_store, remote, message.IdentityKey);
            SessionRecord record = _store.LoadSession(remote) ?? new SessionRecord();
            bool newRun = !record.PromoteMatchingSession(message.BaseKey);
            if (newRun)
            {
                RespondX3dh(record, message);
            }
            byte[] plaintext = DecryptWithRecord(remote, record, message.Message, currentOnly: true);
            _store.Commit(newRun
                ? new SessionCommit(remote, record, message.IdentityKey, message.PreKeyId, (message.SignedPreKeyId, message.BaseKey))
                : new SessionCommit(remote, record, message.IdentityKey));
            return plaintext;
        }
    }

    /// <summary>Whether a session with <paramref name="remote"/> can send now.</summary>
    public bool HasUsableSession(ProtocolAddress remote)
    {
        lock (SessionLocks.For(_store, remote))
        {
            return _store.LoadSession(remote)?.HasUsableSenderChain(_time.GetUtcNow()) == true;
        }
    }

    /// <summary>
    /// Runs X3DH from our prekeys and makes the new session current. A base key this signed prekey has
    /// already answered is a replayed first message (under this address or another): refused, as libsignal
    /// does since 0.81, even when no one-time prekey was used and the earlier session is gone.
    /// </summary>
    private void RespondX3dh(SessionRecord record, PreKeySignalMessage message)
    {
        if (_store.IsBaseKeyUsed(message.SignedPreKeyId, message.BaseKey))
        {
            throw new SignalProtocolException(SignalError.DuplicateMessage, "This first message (its X3DH base key) was already answered.");
        }
        using SignedPreKeyRecord signedPreKey = _store.LoadSignedPreKey(message.SignedPreKeyId)
            ?? throw new SignalProtocolException(SignalError.InvalidSignedPreKeyId, $"No signed prekey {message.SignedPreKeyId}.", message.SignedPreKeyId);
        using PreKeyRecord? preKey = message.PreKeyId is uint id
            ? _store.LoadPreKey(id) ?? throw new SignalProtocolException(SignalError.InvalidPreKeyId, $"No one-time prekey {id} (unknown or already used).", id)
            : null;
        IdentityKeyPair ours = _store.GetIdentityKeyPair();
        byte[] secret = X3dhAgreement.Responder(ours.PrivateKey, signedPreKey.PrivateKey, preKey?.PrivateKey, message.IdentityKey.PublicKey, message.BaseKey);
        var state = SessionState.Create(
            ours.PublicKey,
            message.IdentityKey,
            DoubleRatchet.InitBob(secret, signedPreKey.PrivateKey),
            message.BaseKey,
            _store.GetLocalRegistrationId(),
            message.RegistrationId);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
        record.PromoteState(state);
    }

    /// <summary>
    /// Tries the current session, then each archived one, each on a copy; the first that decrypts is
    /// committed to the record (an archived one becomes current). A duplicate stops the search.
    /// <paramref name="currentOnly"/> (a PreKeySignalMessage, whose session was just matched or created from
    /// its base key) tries the current session alone, as libsignal does: its inner message may not be
    /// decrypted by another session, else a re-wrapped message would be accepted and leave a stray session.
    /// </summary>
    private static byte[] DecryptWithRecord(ProtocolAddress remote, SessionRecord record, SignalMessage message, bool currentOnly = false)
    {
        SignalProtocolException? firstError = null;
        if (record.Current is { } current)
        {
            SessionState copy = current.Clone();
            try
            {
                byte[] plaintext = copy.Decrypt(message);
                record.SetCurrent(copy);
                return plaintext;
            }
            catch (SignalProtocolException e) when (e.Reason != SignalError.DuplicateMessage)
            {
                firstError = e;
            }
        }
        for (int i = 0; !currentOnly && i < record.Previous.Count; i++)
        {
            SessionState copy = record.Previous[i].Clone();
            try
            {
                byte[] plaintext = copy.Decrypt(message);
                record.PromoteOldSession(i, copy);
                return plaintext;
            }
            catch (SignalProtocolException e) when (e.Reason != SignalError.DuplicateMessage)
            {
                firstError ??= e;
            }
        }
        throw firstError ?? NoSession(remote);
    }

    private static SignalProtocolException NoSession(ProtocolAddress remote) =>
        new(SignalError.NoSession, $"No session with {remote}.");
}
