namespace SecureComms.Server.Storage;

/// <summary>A signed prekey as published (X3DH §3.2: SPKb and Sig(IKb, Encode(SPKb))). Opaque to the store.</summary>
/// <param name="Id">The owner's id for it.</param>
/// <param name="PublicKey">Its public key, serialized (0x05 ‖ u).</param>
/// <param name="Signature">The owner's XEdDSA signature over it.</param>
public sealed record SignedPreKey(uint Id, byte[] PublicKey, byte[] Signature);

/// <summary>A one-time prekey as published (X3DH §3.2: OPKb). Opaque to the store.</summary>
/// <param name="Id">The owner's id for it.</param>
/// <param name="PublicKey">Its public key, serialized (0x05 ‖ u).</param>
public sealed record OneTimePreKey(uint Id, byte[] PublicKey);

/// <summary>What a device uploads to the prekey directory.</summary>
/// <param name="RegistrationId">The device's Signal registration id.</param>
/// <param name="IdentityKey">The identity key, serialized (0x05 ‖ u).</param>
/// <param name="SignedPreKey">The current signed prekey (replaces the stored one).</param>
/// <param name="OneTimePreKeys">One-time prekeys to add to the stock (at most
/// <see cref="PreKeyLimits.MaxOneTimePreKeysPerUpload"/>; may be empty).</param>
/// <remarks>The store checks sizes, not signatures: verifying the signature is the protocol layer's job, and
/// the fetching client verifies it again (X3DH §3.2) whatever the server says.</remarks>
public sealed record PreKeyUpload(
    uint RegistrationId,
    byte[] IdentityKey,
    SignedPreKey SignedPreKey,
    IReadOnlyList<OneTimePreKey> OneTimePreKeys);

/// <summary>What <see cref="IServerStore.UploadPreKeysAsync"/> did.</summary>
public enum PreKeyUploadStatus
{
    /// <summary>Stored.</summary>
    Stored,

    /// <summary>The owner has no account: nothing stored.</summary>
    NoSuchUser,

    /// <summary>The stock would exceed <see cref="PreKeyLimits.MaxOneTimePreKeyStock"/>: nothing stored.</summary>
    StockFull,
}

/// <summary>The outcome of <see cref="IServerStore.UploadPreKeysAsync"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Stock">The device's one-time prekeys in stock afterwards.</param>
public sealed record PreKeyUploadResult(PreKeyUploadStatus Status, int Stock);

/// <summary>A bundle handed out by <see cref="IServerStore.TakeBundleAsync"/>.</summary>
/// <param name="Owner">Whose bundle.</param>
/// <param name="DeviceId">Which device.</param>
/// <param name="RegistrationId">The device's registration id.</param>
/// <param name="IdentityKey">The identity key.</param>
/// <param name="SignedPreKey">The signed prekey.</param>
/// <param name="OneTimePreKey">One one-time prekey, now deleted from the directory and given to no one else;
/// null when the stock was empty (X3DH without OPKb).</param>
/// <param name="RemainingOneTimePreKeys">The stock left after this hand-out.</param>
public sealed record StoredPreKeyBundle(
    UserId Owner,
    uint DeviceId,
    uint RegistrationId,
    byte[] IdentityKey,
    SignedPreKey SignedPreKey,
    OneTimePreKey? OneTimePreKey,
    int RemainingOneTimePreKeys)
{
    /// <summary>Whether the server should tell the owner to upload more one-time prekeys
    /// (stock below <see cref="PreKeyLimits.LowPreKeyThreshold"/>).</summary>
    public bool IsStockLow => RemainingOneTimePreKeys < PreKeyLimits.LowPreKeyThreshold;
}

/// <summary>The prekey directory's limits.</summary>
public static class PreKeyLimits
{
    /// <summary>Below this many one-time prekeys left, the owner is told to upload more: 10 (Signal's
    /// server warns at a similar level; a batch of <see cref="MaxOneTimePreKeysPerUpload"/> refills it).</summary>
    public const int LowPreKeyThreshold = 10;

    /// <summary>Most one-time prekeys in one upload: 100 (a Signal client's batch).</summary>
    public const int MaxOneTimePreKeysPerUpload = 100;

    /// <summary>Most one-time prekeys stocked per device: 500, bounding what one account can make the server keep.</summary>
    public const int MaxOneTimePreKeyStock = 500;

    /// <summary>Largest serialized public key or identity key accepted: 64 bytes (a Curve25519 key is 33).</summary>
    public const int MaxKeySizeInBytes = 64;

    /// <summary>Largest signature accepted: 128 bytes (XEdDSA's is 64).</summary>
    public const int MaxSignatureSizeInBytes = 128;
}
