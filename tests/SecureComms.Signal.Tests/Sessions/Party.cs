using System.Text;
using Google.Protobuf;
using SecureComms.Crypto;
using SecureComms.Signal.Ratchet;
using SecureComms.Signal.Sessions;
using SecureComms.Signal.Stores;
using SecureComms.Signal.Wire;
using SecureComms.Signal.X3dh;

namespace SecureComms.Signal.Tests.Sessions;

/// <summary>One party of a test conversation: an in-memory store, a cipher and its address.</summary>
internal sealed class Party : IDisposable
{
    private readonly List<uint> _preKeyIds = [];
    private readonly List<uint> _signedPreKeyIds = [];
    private uint _nextKeyId = 100;

    public Party(string name, uint deviceId = 1, TimeProvider? time = null, ISignalProtocolStore? store = null, IdentityKeyPair? identity = null)
    {
        Address = new ProtocolAddress(name, deviceId);
        Time = time ?? TimeProvider.System;
        Store = store ?? new InMemorySignalProtocolStore(identity ?? IdentityKeyPair.Generate(), (uint)Random.Shared.Next(1, 16380));
        Cipher = new SessionCipher(Store, Time);
    }

    public ProtocolAddress Address { get; }

    public TimeProvider Time { get; }

    public ISignalProtocolStore Store { get; }

    public SessionCipher Cipher { get; }

    public IdentityKey Identity => Store.GetIdentityKeyPair().PublicKey;

    /// <summary>A second party with the same identity key pair (another device of the same user).</summary>
    public Party OtherDevice(uint deviceId)
    {
        byte[] scalar = new byte[X25519PrivateKey.SizeInBytes];
        Store.GetIdentityKeyPair().PrivateKey.Export(scalar);
        var copy = new IdentityKeyPair(X25519PrivateKey.Import(scalar, exportable: true));
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(scalar);
        return new Party(Address.Name, deviceId, Time, identity: copy);
    }

    /// <summary>A bundle with a fresh signed prekey (reused when the id exists) and, optionally, a fresh one-time prekey.</summary>
    public PreKeyBundle Bundle(uint preKeyId = 7, uint signedPreKeyId = 3, bool oneTimePreKey = true)
    {
        if (!_signedPreKeyIds.Contains(signedPreKeyId))
        {
            _signedPreKeyIds.Add(signedPreKeyId);
        }
        if (oneTimePreKey && !_preKeyIds.Contains(preKeyId))
        {
            _preKeyIds.Add(preKeyId);
        }
        return Store.PublishBundle(Address.DeviceId, signedPreKeyId, oneTimePreKey ? preKeyId : null, Time.GetUtcNow());
    }

    /// <summary>A bundle under ids never used before: a new signed prekey and (optionally) a new one-time prekey
    /// (libsignal's <c>IdChoice::Next</c>).</summary>
    public PreKeyBundle NextBundle(bool oneTimePreKey = true)
    {
        uint signedId = _nextKeyId++;
        uint preKeyId = _nextKeyId++;
        return Bundle(preKeyId, signedId, oneTimePreKey);
    }

    public CiphertextMessage Encrypt(Party to, string text) => Cipher.Encrypt(to.Address, Encoding.UTF8.GetBytes(text));

    public string Decrypt(Party from, CiphertextMessage message) => Decrypt(from.Address, message);

    public string Decrypt(ProtocolAddress from, CiphertextMessage message) =>
        Encoding.UTF8.GetString(Cipher.Decrypt(from, message.Type, message.Serialized));

    /// <summary>Decrypts and expects a refusal; returns it.</summary>
    public SignalProtocolException Refuses(Party from, CiphertextMessage message) =>
        Refuses(from.Address, message.Type, message.Serialized);

    public SignalProtocolException Refuses(ProtocolAddress from, CiphertextMessageType type, byte[] serialized) =>
        Assert.Throws<SignalProtocolException>(() => Cipher.Decrypt(from, type, serialized));

    /// <summary>The serialized session record with <paramref name="peer"/>, for byte-identity checks.</summary>
    public byte[] RecordBytes(Party peer) => Store.LoadSession(peer.Address)?.Serialize() ?? [];

    /// <summary>The stored record with <paramref name="peer"/> (null if none).</summary>
    public SessionRecord? Record(Party peer) => Store.LoadSession(peer.Address);

    /// <summary>
    /// Everything a refused operation must leave alone, as one comparable string: our identity, the record
    /// with and the identity recorded for <paramref name="peer"/>, and every prekey and signed prekey issued.
    /// </summary>
    public string Snapshot(Party peer)
    {
        var s = new StringBuilder();
        s.Append("identity=").Append(Convert.ToHexString(Identity.Serialize()));
        s.Append(";record=").Append(Convert.ToHexString(RecordBytes(peer)));
        s.Append(";peerIdentity=").Append(Store.GetIdentity(peer.Address) is { } known ? Convert.ToHexString(known.Serialize()) : "none");
        foreach (uint id in _preKeyIds)
        {
            using PreKeyRecord? record = Store.LoadPreKey(id);
            s.Append(";prekey").Append(id).Append('=').Append(record is null ? "none" : Convert.ToHexString(record.Serialize()));
        }
        foreach (uint id in _signedPreKeyIds)
        {
            using SignedPreKeyRecord? record = Store.LoadSignedPreKey(id);
            s.Append(";signed").Append(id).Append('=').Append(record is null ? "none" : Convert.ToHexString(record.Serialize()));
        }
        return s.ToString();
    }

    /// <summary>Whether one-time prekey <paramref name="id"/> is still in the store.</summary>
    public bool HasPreKey(uint id)
    {
        using PreKeyRecord? record = Store.LoadPreKey(id);
        return record is not null;
    }

    /// <summary>
    /// Advances our sending chain to <paramref name="peer"/> by <paramref name="count"/> messages without producing
    /// them: exactly what encrypting <paramref name="count"/> messages and losing them all does to the sender,
    /// computed with KDF_CK alone (fast).
    /// </summary>
    public void SkipSending(Party peer, int count)
    {
        SessionRecord record = Store.LoadSession(peer.Address) ?? throw new InvalidOperationException("no session");
        Proto.ChainKey chainKey = record.Current!.Structure.Ratchet.SenderChain.ChainKey;
        byte[] key = chainKey.Key.ToByteArray();
        uint index = chainKey.Index;
        for (int i = 0; i < count; i++)
        {
            (key, _) = RatchetKdf.KdfCk(key, index);
            index++;
        }
        record.Current.Structure.Ratchet.SenderChain.ChainKey = new Proto.ChainKey { Index = index, Key = ByteString.CopyFrom(key) };
        Store.StoreSession(peer.Address, record);
    }

    /// <summary>The message keys our next message to <paramref name="peer"/> will use (derived from the stored sender chain).</summary>
    public MessageKeys NextSendingKeys(Party peer)
    {
        SessionRecord record = Store.LoadSession(peer.Address) ?? throw new InvalidOperationException("no session");
        Proto.ChainKey chainKey = record.Current!.Structure.Ratchet.SenderChain.ChainKey;
        return RatchetKdf.KdfCk(chainKey.Key.Span, chainKey.Index).Keys;
    }

    public void Dispose() => (Store as IDisposable)?.Dispose();

    /// <summary>
    /// X3DH from <paramref name="alice"/> to <paramref name="bob"/>'s fresh bundle, then one message each way: both
    /// then hold the same acknowledged session and every further message is a Whisper message.
    /// </summary>
    public static void Establish(Party alice, Party bob)
    {
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.NextBundle());
        CiphertextMessage first = alice.Encrypt(bob, "hello");
        Assert.Equal(CiphertextMessageType.PreKey, first.Type);
        Assert.Equal("hello", bob.Decrypt(alice, first));
        CiphertextMessage reply = bob.Encrypt(alice, "hi");
        Assert.Equal(CiphertextMessageType.Whisper, reply.Type);
        Assert.Equal("hi", alice.Decrypt(bob, reply));
        Assert.True(SameSession(alice, bob));
    }

    /// <summary>libsignal's <c>is_session_id_equal</c>: both current sessions come from the same X3DH run.</summary>
    public static bool SameSession(Party alice, Party bob)
    {
        byte[]? a = alice.Record(bob)?.AliceBaseKey;
        byte[]? b = bob.Record(alice)?.AliceBaseKey;
        Assert.NotNull(a);
        Assert.NotNull(b);
        return a.AsSpan().SequenceEqual(b);
    }

    /// <summary>The counter of a serialized message of either type.</summary>
    public static uint Counter(CiphertextMessage message) => Inner(message).Counter;

    /// <summary>The ratchet message of a serialized message of either type.</summary>
    public static SignalMessage Inner(CiphertextMessage message) => message.Type == CiphertextMessageType.PreKey
        ? PreKeySignalMessage.Parse(message.Serialized).Message
        : SignalMessage.Parse(message.Serialized);
}

/// <summary>A clock the test sets.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
