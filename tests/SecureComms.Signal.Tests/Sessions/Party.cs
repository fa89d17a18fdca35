using SecureComms.Signal.Sessions;
using SecureComms.Signal.Stores;
using SecureComms.Signal.Wire;
using SecureComms.Signal.X3dh;

namespace SecureComms.Signal.Tests.Sessions;

/// <summary>One party of a test conversation: an in-memory store, a cipher and its address.</summary>
internal sealed class Party : IDisposable
{
    public Party(string name, uint deviceId = 1, TimeProvider? time = null, ISignalProtocolStore? store = null)
    {
        Address = new ProtocolAddress(name, deviceId);
        Time = time ?? TimeProvider.System;
        Store = store ?? new InMemorySignalProtocolStore(IdentityKeyPair.Generate(), (uint)Random.Shared.Next(1, 16380));
        Cipher = new SessionCipher(Store, Time);
    }

    public ProtocolAddress Address { get; }

    public TimeProvider Time { get; }

    public ISignalProtocolStore Store { get; }

    public SessionCipher Cipher { get; }

    public IdentityKey Identity => Store.GetIdentityKeyPair().PublicKey;

    /// <summary>A bundle with a fresh signed prekey (reused when the id exists) and, optionally, a fresh one-time prekey.</summary>
    public PreKeyBundle Bundle(uint preKeyId = 7, uint signedPreKeyId = 3, bool oneTimePreKey = true)
    {
        SignedPreKeyRecord? signed = Store.LoadSignedPreKey(signedPreKeyId);
        if (signed is null)
        {
            signed = SignedPreKeyRecord.Generate(signedPreKeyId, Store.GetIdentityKeyPair(), Time.GetUtcNow());
            Store.StoreSignedPreKey(signed);
        }
        using (signed)
        {
            PreKeyRecord? preKey = null;
            if (oneTimePreKey)
            {
                preKey = PreKeyRecord.Generate(preKeyId);
                Store.StorePreKey(preKey);
            }
            using (preKey)
            {
                return new PreKeyBundle(
                    Store.GetLocalRegistrationId(),
                    Address.DeviceId,
                    preKey?.Id,
                    preKey?.PublicKey,
                    signed.Id,
                    signed.PublicKey,
                    signed.Signature,
                    Identity);
            }
        }
    }

    public CiphertextMessage Encrypt(Party to, string text) => Cipher.Encrypt(to.Address, System.Text.Encoding.UTF8.GetBytes(text));

    public string Decrypt(Party from, CiphertextMessage message) =>
        System.Text.Encoding.UTF8.GetString(Cipher.Decrypt(from.Address, message.Type, message.Serialized));

    /// <summary>The serialized session record with <paramref name="peer"/>, for byte-identity checks.</summary>
    public byte[] RecordBytes(Party peer) => Store.LoadSession(peer.Address)?.Serialize() ?? [];

    public void Dispose() => (Store as IDisposable)?.Dispose();
}
