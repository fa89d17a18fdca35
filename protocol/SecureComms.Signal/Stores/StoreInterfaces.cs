using SecureComms.Crypto;
using SecureComms.Signal.Sessions;

namespace SecureComms.Signal.Stores;

/// <summary>Our identity and the identities we have seen (libsignal <c>IdentityKeyStore</c>).</summary>
/// <remarks>The store only records; trust (first use, then refuse a change until approved) is decided by
/// <see cref="IdentityTrust"/>.</remarks>
public interface IIdentityKeyStore
{
    /// <summary>Our identity key pair (owned by the store: callers do not dispose it).</summary>
    IdentityKeyPair GetIdentityKeyPair();

    /// <summary>Our registration id.</summary>
    uint GetLocalRegistrationId();

    /// <summary>The identity key recorded for <paramref name="address"/>, if any.</summary>
    IdentityKey? GetIdentity(ProtocolAddress address);

    /// <summary>Records (or, after the user approved a change, replaces) the identity of <paramref name="address"/>.</summary>
    void SaveIdentity(ProtocolAddress address, IdentityKey identityKey);
}

/// <summary>One-time prekeys by id.</summary>
public interface IPreKeyStore
{
    /// <summary>A fresh copy of prekey <paramref name="id"/> (the caller disposes it), or null.</summary>
    PreKeyRecord? LoadPreKey(uint id);

    /// <summary>Adds or replaces a prekey.</summary>
    void StorePreKey(PreKeyRecord record);

    /// <summary>Removes a prekey (no error if absent).</summary>
    void RemovePreKey(uint id);
}

/// <summary>Signed prekeys by id, and the X3DH base keys each has already answered.</summary>
public interface ISignedPreKeyStore
{
    /// <summary>
    /// Whether a session was already started from signed prekey <paramref name="signedPreKeyId"/> with the
    /// initiator's base key <paramref name="baseKey"/> (recorded by <see cref="ISignalProtocolStore.Commit"/>).
    /// </summary>
    bool IsBaseKeyUsed(uint signedPreKeyId, X25519PublicKey baseKey);

    /// <summary>A fresh copy of signed prekey <paramref name="id"/> (the caller disposes it), or null.</summary>
    SignedPreKeyRecord? LoadSignedPreKey(uint id);

    /// <summary>Adds or replaces a signed prekey.</summary>
    void StoreSignedPreKey(SignedPreKeyRecord record);
}

/// <summary>Session records by peer address.</summary>
public interface ISessionStore
{
    /// <summary>A fresh copy of the record for <paramref name="address"/>, or null.</summary>
    SessionRecord? LoadSession(ProtocolAddress address);

    /// <summary>Replaces the record for <paramref name="address"/>.</summary>
    void StoreSession(ProtocolAddress address, SessionRecord record);
}

/// <summary>
/// All four stores, plus the one write the protocol makes after every successful operation:
/// <see cref="Commit"/>, atomic.
/// </summary>
public interface ISignalProtocolStore : IIdentityKeyStore, IPreKeyStore, ISignedPreKeyStore, ISessionStore
{
    /// <summary>
    /// Atomically stores the session record, records the peer's identity, removes the consumed one-time
    /// prekey and records the X3DH base key answered: all of it or, on any failure, none of it.
    /// </summary>
    void Commit(SessionCommit commit);
}

/// <summary>What one successful encrypt, decrypt or bundle processing changes.</summary>
/// <param name="Address">The peer.</param>
/// <param name="Record">Its new session record.</param>
/// <param name="Identity">Its identity key, now recorded.</param>
/// <param name="ConsumedPreKeyId">The one-time prekey a PreKeySignalMessage used up, if any.</param>
/// <param name="AnsweredBaseKey">The X3DH run a PreKeySignalMessage started (signed prekey id, initiator base
/// key), never to be answered again.</param>
public sealed record SessionCommit(
    ProtocolAddress Address,
    SessionRecord Record,
    IdentityKey Identity,
    uint? ConsumedPreKeyId = null,
    (uint SignedPreKeyId, X25519PublicKey BaseKey)? AnsweredBaseKey = null);

/// <summary>
/// Trust on first use: an unknown identity is trusted (the operation's <see cref="ISignalProtocolStore.Commit"/>
/// then records it); a different one is refused until the user approves it with
/// <see cref="IIdentityKeyStore.SaveIdentity"/>.
/// </summary>
public static class IdentityTrust
{
    /// <summary>Whether <paramref name="identity"/> may be used for <paramref name="address"/>.</summary>
    public static bool IsTrusted(IIdentityKeyStore store, ProtocolAddress address, IdentityKey identity)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.GetIdentity(address) is not { } known || known.Equals(identity);
    }

    /// <summary>Throws UntrustedIdentity unless <see cref="IsTrusted"/>.</summary>
    internal static void Require(IIdentityKeyStore store, ProtocolAddress address, IdentityKey identity)
    {
        if (!IsTrusted(store, address, identity))
        {
            throw new SignalProtocolException(SignalError.UntrustedIdentity, $"The identity key of {address} changed; the user must approve it.");
        }
    }
}
