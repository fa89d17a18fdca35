using SecureComms.Crypto;
using SecureComms.Signal.Sessions;

namespace SecureComms.Signal.Stores;

/// <summary>
/// A store in memory (tests, the shim, short-lived parties). Records are kept serialized, so every load is
/// a fresh copy and nothing a caller does to it reaches the store before <see cref="Commit"/>.
/// Thread-safe; disposing it wipes the identity key.
/// </summary>
public sealed class InMemorySignalProtocolStore : ISignalProtocolStore, IDisposable
{
    private readonly Lock _lock = new();
    private readonly IdentityKeyPair _identity;
    private readonly uint _registrationId;
    private readonly Dictionary<ProtocolAddress, IdentityKey> _identities = [];
    private readonly Dictionary<uint, byte[]> _preKeys = [];
    private readonly Dictionary<uint, byte[]> _signedPreKeys = [];
    private readonly Dictionary<ProtocolAddress, byte[]> _sessions = [];
    private readonly HashSet<(uint, string)> _answeredBaseKeys = [];

    /// <summary>A store for the party with <paramref name="identity"/> (which it then owns).</summary>
    public InMemorySignalProtocolStore(IdentityKeyPair identity, uint registrationId)
    {
        ArgumentNullException.ThrowIfNull(identity);
        _identity = identity;
        _registrationId = registrationId;
    }

    /// <inheritdoc/>
    public IdentityKeyPair GetIdentityKeyPair() => _identity;

    /// <inheritdoc/>
    public uint GetLocalRegistrationId() => _registrationId;

    /// <inheritdoc/>
    public IdentityKey? GetIdentity(ProtocolAddress address)
    {
        lock (_lock)
        {
            return _identities.GetValueOrDefault(address);
        }
    }

    /// <inheritdoc/>
    public void SaveIdentity(ProtocolAddress address, IdentityKey identityKey)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        lock (_lock)
        {
            _identities[address] = identityKey;
        }
    }

    /// <inheritdoc/>
    public PreKeyRecord? LoadPreKey(uint id) => Load(_preKeys, id, b => PreKeyRecord.Deserialize(b));

    /// <inheritdoc/>
    public void StorePreKey(PreKeyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Store(_preKeys, record.Id, record.Serialize());
    }

    /// <inheritdoc/>
    public void RemovePreKey(uint id)
    {
        lock (_lock)
        {
            _preKeys.Remove(id);
        }
    }

    /// <inheritdoc/>
    public SignedPreKeyRecord? LoadSignedPreKey(uint id) => Load(_signedPreKeys, id, b => SignedPreKeyRecord.Deserialize(b));

    /// <inheritdoc/>
    public void StoreSignedPreKey(SignedPreKeyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Store(_signedPreKeys, record.Id, record.Serialize());
    }

    /// <inheritdoc/>
    public bool IsBaseKeyUsed(uint signedPreKeyId, X25519PublicKey baseKey)
    {
        ArgumentNullException.ThrowIfNull(baseKey);
        lock (_lock)
        {
            return _answeredBaseKeys.Contains((signedPreKeyId, Convert.ToHexString(baseKey.Bytes)));
        }
    }

    /// <inheritdoc/>
    public SessionRecord? LoadSession(ProtocolAddress address) => Load(_sessions, address, b => SessionRecord.Deserialize(b));

    /// <inheritdoc/>
    public void StoreSession(ProtocolAddress address, SessionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Store(_sessions, address, record.Serialize());
    }

    /// <inheritdoc/>
    public void Commit(SessionCommit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        byte[] record = commit.Record.Serialize();
        lock (_lock)
        {
            _sessions[commit.Address] = record;
            _identities[commit.Address] = commit.Identity;
            if (commit.ConsumedPreKeyId is uint id)
            {
                _preKeys.Remove(id);
            }
            if (commit.AnsweredBaseKey is (uint signedPreKeyId, X25519PublicKey baseKey))
            {
                _answeredBaseKeys.Add((signedPreKeyId, Convert.ToHexString(baseKey.Bytes)));
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _identity.Dispose();

    private T? Load<TKey, T>(Dictionary<TKey, byte[]> table, TKey key, Func<byte[], T> deserialize)
        where TKey : notnull
        where T : class
    {
        byte[]? bytes;
        lock (_lock)
        {
            bytes = table.GetValueOrDefault(key);
        }
        return bytes is null ? null : deserialize(bytes);
    }

    private void Store<TKey>(Dictionary<TKey, byte[]> table, TKey key, byte[] serialized)
        where TKey : notnull
    {
        lock (_lock)
        {
            table[key] = serialized;
        }
    }
}
