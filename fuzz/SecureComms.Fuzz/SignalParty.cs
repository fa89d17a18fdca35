using SecureComms.Crypto;
using SecureComms.Signal;
using SecureComms.Signal.Sessions;
using SecureComms.Signal.Stores;
using SecureComms.Signal.Wire;
using SecureComms.Signal.X3dh;

namespace SecureComms.Fuzz;

/// <summary>
/// One party of the Signal targets and of their seed generator: an in-memory store, a cipher, an address,
/// and the ids of every prekey it ever published (so that its whole state can be snapshotted).
/// </summary>
internal sealed class SignalParty : IDisposable
{
    private readonly List<uint> _preKeyIds = [];
    private readonly List<uint> _signedPreKeyIds = [];
    private uint _nextKeyId = 1;

    /// <summary>A party with <paramref name="identity"/> (owned by its store from now on).</summary>
    public SignalParty(string name, IdentityKeyPair identity, uint registrationId)
    {
        Address = new ProtocolAddress(name, 1);
        Store = new InMemorySignalProtocolStore(identity, registrationId);
        Cipher = new SessionCipher(Store);
    }

    /// <summary>Its address as peers name it.</summary>
    public ProtocolAddress Address { get; }

    /// <summary>Its stores.</summary>
    public InMemorySignalProtocolStore Store { get; }

    /// <summary>Its cipher.</summary>
    public SessionCipher Cipher { get; }

    /// <summary>Its public identity key.</summary>
    public IdentityKey Identity => Store.GetIdentityKeyPair().PublicKey;

    /// <summary>Ids of the one-time prekeys it published (consumed ones included).</summary>
    public IReadOnlyList<uint> PreKeyIds => _preKeyIds;

    /// <summary>Ids of the signed prekeys it published.</summary>
    public IReadOnlyList<uint> SignedPreKeyIds => _signedPreKeyIds;

    /// <summary>Stores a prekey record it was given (a fixture's), remembering its id.</summary>
    public void AddPreKey(PreKeyRecord record)
    {
        Store.StorePreKey(record);
        _preKeyIds.Add(record.Id);
        _nextKeyId = Math.Max(_nextKeyId, record.Id + 1);
    }

    /// <summary>Stores a signed prekey record it was given, remembering its id.</summary>
    public void AddSignedPreKey(SignedPreKeyRecord record)
    {
        Store.StoreSignedPreKey(record);
        _signedPreKeyIds.Add(record.Id);
        _nextKeyId = Math.Max(_nextKeyId, record.Id + 1);
    }

    /// <summary>A bundle with a fresh signed prekey and, when asked, a fresh one-time prekey, both under new ids.</summary>
    public PreKeyBundle NewBundle(bool oneTimePreKey)
    {
        uint signedId = _nextKeyId++;
        uint? preKeyId = oneTimePreKey ? _nextKeyId++ : null;
        PreKeyBundle bundle = Store.PublishBundle(Address.DeviceId, signedId, preKeyId, DateTimeOffset.UtcNow);
        _signedPreKeyIds.Add(signedId);
        if (preKeyId is uint id)
        {
            _preKeyIds.Add(id);
        }
        return bundle;
    }

    /// <summary>The serialized session record for <paramref name="peer"/>, or null.</summary>
    public byte[]? SessionBytes(ProtocolAddress peer) => Store.LoadSession(peer)?.Serialize();

    /// <summary>
    /// Everything a message from <paramref name="peer"/> may change, serialized: the session record, the
    /// peer's recorded identity, every published prekey and signed prekey (or its absence), and, when
    /// <paramref name="message"/> is a PreKeySignalMessage, whether its X3DH base key counts as answered.
    /// Two snapshots are equal iff the party's state for that peer is byte-identical.
    /// </summary>
    public byte[] Snapshot(ProtocolAddress peer, ReadOnlySpan<byte> message = default)
    {
        using var buffer = new MemoryStream();
        Write(buffer, SessionBytes(peer));
        Write(buffer, Store.GetIdentity(peer)?.Serialize());
        foreach (uint id in _preKeyIds)
        {
            using PreKeyRecord? record = Store.LoadPreKey(id);
            Write(buffer, record?.Serialize());
        }
        foreach (uint id in _signedPreKeyIds)
        {
            using SignedPreKeyRecord? record = Store.LoadSignedPreKey(id);
            Write(buffer, record?.Serialize());
        }
        if (TryParsePreKey(message) is { } preKey)
        {
            // Last, so that a snapshot without a message is a prefix of one with a message.
            buffer.WriteByte(Store.IsBaseKeyUsed(preKey.SignedPreKeyId, preKey.BaseKey) ? (byte)1 : (byte)0);
        }
        return buffer.ToArray();
    }

    /// <summary>Whether it has a current session with <paramref name="peer"/>.</summary>
    public bool HasCurrentSession(ProtocolAddress peer) => Store.LoadSession(peer)?.HasCurrentState == true;

    /// <summary>Archives the current session with <paramref name="peer"/> (load, modify, store, as an app would).</summary>
    public void ArchiveSession(ProtocolAddress peer)
    {
        SessionRecord? record = Store.LoadSession(peer);
        if (record is not null)
        {
            record.ArchiveCurrentState();
            Store.StoreSession(peer, record);
        }
    }

    /// <summary>Exports the identity's private scalar (for a fixture).</summary>
    public byte[] ExportIdentityScalar()
    {
        byte[] scalar = new byte[X25519PrivateKey.SizeInBytes];
        Store.GetIdentityKeyPair().PrivateKey.Export(scalar);
        return scalar;
    }

    /// <inheritdoc/>
    public void Dispose() => Store.Dispose();

    /// <summary>The PreKeySignalMessage <paramref name="message"/> is, or null.</summary>
    internal static PreKeySignalMessage? TryParsePreKey(ReadOnlySpan<byte> message)
    {
        try
        {
            return message.IsEmpty ? null : PreKeySignalMessage.Parse(message);
        }
        catch (SignalProtocolException)
        {
            return null;
        }
    }

    private static void Write(MemoryStream buffer, byte[]? bytes)
    {
        // -1 for absent, else the length, then the bytes: unambiguous.
        int length = bytes?.Length ?? -1;
        buffer.Write(BitConverter.GetBytes(length));
        if (bytes is not null)
        {
            buffer.Write(bytes);
        }
    }
}

/// <summary>A message in flight: who sent it, its type and wire bytes, and the plaintext it carries.</summary>
internal sealed record SentMessage(int Id, CiphertextMessageType Type, byte[] Body, byte[] Plaintext);
