using SecureComms.Signal.X3dh;

namespace SecureComms.Signal.Stores;

/// <summary>Making the prekey bundle a party publishes (X3DH §3.2) from its store.</summary>
public static class BundlePublishing
{
    /// <summary>
    /// The bundle for this party: signed prekey <paramref name="signedPreKeyId"/> (created, signed and stored
    /// when the id is new, else reused) and, when <paramref name="preKeyId"/> is given, a fresh one-time
    /// prekey stored under that id (replacing any earlier one).
    /// </summary>
    public static PreKeyBundle PublishBundle(this ISignalProtocolStore store, uint deviceId, uint signedPreKeyId, uint? preKeyId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        IdentityKeyPair identity = store.GetIdentityKeyPair();
        SignedPreKeyRecord? signed = store.LoadSignedPreKey(signedPreKeyId);
        if (signed is null)
        {
            signed = SignedPreKeyRecord.Generate(signedPreKeyId, identity, now);
            store.StoreSignedPreKey(signed);
        }
        using (signed)
        {
            using PreKeyRecord? preKey = preKeyId is uint id ? PreKeyRecord.Generate(id) : null;
            if (preKey is not null)
            {
                store.StorePreKey(preKey);
            }
            return new PreKeyBundle(
                store.GetLocalRegistrationId(),
                deviceId,
                preKey?.Id,
                preKey?.PublicKey,
                signed.Id,
                signed.PublicKey,
                signed.Signature,
                identity.PublicKey);
        }
    }
}
