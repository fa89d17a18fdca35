using System.Text;
using Google.Protobuf;
using SecureComms.Cloud.Proto;
using SecureComms.Signal;
using SecureComms.Signal.Sessions;
using SecureComms.Signal.Stores;
using SecureComms.Signal.Wire;
using SecureComms.Signal.X3dh;

namespace SecureComms.Client.Engine;

/// <summary>
/// Private Conversations (Signal X3DH + Double Ratchet) carried by the cloud service as opaque message bodies: the
/// prekey upload built from the Signal store, a fetched <see cref="Bundle"/> turned into a session, and the body format.
/// </summary>
/// <remarks>
/// <para><b>Body.</b> One byte, the <see cref="CiphertextMessageType"/> (2 Whisper, 3 PreKey), then the serialized
/// Signal message. The server stores and forwards it without being able to read it.</para>
/// <para><b>Devices.</b> One device per account, <see cref="DeviceId"/>; the signed prekey is <see cref="SignedPreKeyId"/>.</para>
/// </remarks>
public sealed class PrivateConversations(ISignalProtocolStore store)
{
    /// <summary>This client's device id.</summary>
    public const uint DeviceId = 1;

    /// <summary>The signed prekey's id.</summary>
    public const uint SignedPreKeyId = 1;

    private readonly SessionCipher _cipher = new(store);

    /// <summary>The address of <paramref name="username"/>'s device.</summary>
    public static ProtocolAddress AddressOf(string username) => new(username, DeviceId);

    /// <summary>
    /// The upload for this device: identity key, signed prekey (created the first time) and <paramref name="count"/>
    /// fresh one-time prekeys with ids <paramref name="firstId"/>… (stored in the Signal store first).
    /// </summary>
    public UploadPreKeys BuildUpload(uint firstId, uint count, DateTimeOffset now)
    {
        PreKeyBundle bundle = store.PublishBundle(DeviceId, SignedPreKeyId, null, now);
        var upload = new UploadPreKeys
        {
            DeviceId = DeviceId,
            RegistrationId = bundle.RegistrationId,
            IdentityKey = ByteString.CopyFrom(bundle.IdentityKey.Serialize()),
            SignedPreKey = new Cloud.Proto.SignedPreKeyRecord
            {
                Id = bundle.SignedPreKeyId,
                PublicKey = ByteString.CopyFrom(new IdentityKey(bundle.SignedPreKey).Serialize()),
                Signature = ByteString.CopyFrom(bundle.SignedPreKeySignature),
            },
        };
        for (uint id = firstId; id < checked(firstId + count); id++)
        {
            PreKeyBundle withOneTime = store.PublishBundle(DeviceId, SignedPreKeyId, id, now);
            upload.OneTimePreKeys.Add(new OneTimePreKeyRecord { Id = id, PublicKey = ByteString.CopyFrom(new IdentityKey(withOneTime.PreKey!).Serialize()) });
        }
        return upload;
    }

    /// <summary>Whether a session with <paramref name="username"/> can encrypt now.</summary>
    public bool HasSession(string username) => _cipher.HasUsableSession(AddressOf(username));

    /// <summary>Starts a session from <paramref name="bundle"/> (X3DH as initiator; the signature and trust are checked).</summary>
    /// <exception cref="InvalidDataException">The server sent a malformed key.</exception>
    /// <exception cref="SignalProtocolException">Bad signature, untrusted identity...</exception>
    public void StartSession(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        _cipher.ProcessPreKeyBundle(AddressOf(bundle.Username), ToPreKeyBundle(bundle));
    }

    /// <summary>Encrypts <paramref name="text"/> for <paramref name="username"/> as a message body.</summary>
    public byte[] Encrypt(string username, string text)
    {
        CiphertextMessage ciphertext = _cipher.Encrypt(AddressOf(username), Encoding.UTF8.GetBytes(text));
        return [(byte)ciphertext.Type, .. ciphertext.Serialized];
    }

    /// <summary>Decrypts a body from <paramref name="username"/>.</summary>
    /// <exception cref="SignalProtocolException">It does not decrypt (state unchanged).</exception>
    public string Decrypt(string username, ReadOnlySpan<byte> body)
    {
        if (body.Length < 2)
        {
            throw new SignalProtocolException(SignalError.InvalidMessage, "A private message body is a type byte and a Signal message.");
        }
        return Encoding.UTF8.GetString(_cipher.Decrypt(AddressOf(username), (CiphertextMessageType)body[0], body[1..]));
    }

    /// <summary>The X3DH bundle carried in a <see cref="Bundle"/> answer.</summary>
    /// <exception cref="InvalidDataException">A key is malformed.</exception>
    public static PreKeyBundle ToPreKeyBundle(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (bundle.SignedPreKey is null)
        {
            throw new InvalidDataException("The server sent a bundle without a signed prekey.");
        }
        return new(
            bundle.RegistrationId,
            bundle.DeviceId,
            bundle.OneTimePreKey?.Id,
            bundle.OneTimePreKey is { } otk ? DecodeKey(otk.PublicKey.Span).PublicKey : null,
            bundle.SignedPreKey.Id,
            DecodeKey(bundle.SignedPreKey.PublicKey.Span).PublicKey,
            bundle.SignedPreKey.Signature.ToByteArray(),
            DecodeKey(bundle.IdentityKey.Span));
    }

    private static IdentityKey DecodeKey(ReadOnlySpan<byte> serialized) =>
        IdentityKey.TryDeserialize(serialized, out IdentityKey? key) ? key! : throw new InvalidDataException("The server sent a malformed public key.");
}
