using Google.Protobuf;
using SecureComms.Crypto;

namespace SecureComms.Signal.Wire;

/// <summary>
/// The first messages of a session (libsignal <c>PreKeySignalMessage</c>, classic v3): the initiator's X3DH
/// parameters (identity key, base key, the prekey ids used) wrapping a <see cref="SignalMessage"/>.
/// version byte ‖ protobuf{pre_key_id?, base_key, identity_key, message, registration_id, signed_pre_key_id}.
/// </summary>
/// <remarks>It carries no MAC of its own: the inner message's MAC, keyed from X3DH, authenticates it.
/// Parsing is total.</remarks>
public sealed class PreKeySignalMessage
{
    private PreKeySignalMessage(
        byte[] serialized,
        uint registrationId,
        uint? preKeyId,
        uint signedPreKeyId,
        X25519PublicKey baseKey,
        IdentityKey identityKey,
        SignalMessage message)
    {
        Serialized = serialized;
        RegistrationId = registrationId;
        PreKeyId = preKeyId;
        SignedPreKeyId = signedPreKeyId;
        BaseKey = baseKey;
        IdentityKey = identityKey;
        Message = message;
    }

    /// <summary>The wire bytes.</summary>
    public byte[] Serialized { get; }

    /// <summary>The sender's registration id (0 when absent).</summary>
    public uint RegistrationId { get; }

    /// <summary>The receiver's one-time prekey used, if any.</summary>
    public uint? PreKeyId { get; }

    /// <summary>The receiver's signed prekey used.</summary>
    public uint SignedPreKeyId { get; }

    /// <summary>The initiator's ephemeral X3DH key (EKa).</summary>
    public X25519PublicKey BaseKey { get; }

    /// <summary>The initiator's identity key (IKa).</summary>
    public IdentityKey IdentityKey { get; }

    /// <summary>The wrapped first ratchet message.</summary>
    public SignalMessage Message { get; }

    /// <summary>Parses a PreKeySignalMessage.</summary>
    /// <exception cref="SignalProtocolException">The input is not a v3 PreKeySignalMessage.</exception>
    public static PreKeySignalMessage Parse(ReadOnlySpan<byte> serialized)
    {
        if (serialized.IsEmpty || serialized.Length > SignalMessage.MaxSizeInBytes)
        {
            throw new SignalProtocolException(SignalError.InvalidMessage, $"A PreKeySignalMessage has 1 to {SignalMessage.MaxSizeInBytes} bytes.", serialized.Length, SignalMessage.MaxSizeInBytes);
        }
        MessageVersion.Check(serialized[0]);
        Proto.PreKeySignalMessage body = ProtobufParse.Parse(Proto.PreKeySignalMessage.Parser, serialized[1..], "PreKeySignalMessage");
        if (!body.HasBaseKey || !body.HasIdentityKey || !body.HasMessage || !body.HasSignedPreKeyId)
        {
            throw new SignalProtocolException(SignalError.InvalidMessage, "PreKeySignalMessage lacks its base key, identity key, signed prekey id or message.");
        }
        return new PreKeySignalMessage(
            serialized.ToArray(),
            body.RegistrationId,
            body.HasPreKeyId ? body.PreKeyId : null,
            body.SignedPreKeyId,
            PublicKeyEncoding.Decode(body.BaseKey.Span, "The base key"),
            PublicKeyEncoding.DecodeIdentity(body.IdentityKey.Span, "The identity key"),
            SignalMessage.Parse(body.Message.Span));
    }

    /// <summary>Wraps <paramref name="message"/> with the initiator's X3DH parameters (version byte 0x33).</summary>
    internal static PreKeySignalMessage Create(
        uint registrationId,
        uint? preKeyId,
        uint signedPreKeyId,
        X25519PublicKey baseKey,
        IdentityKey identityKey,
        SignalMessage message)
    {
        var body = new Proto.PreKeySignalMessage
        {
            RegistrationId = registrationId,
            SignedPreKeyId = signedPreKeyId,
            BaseKey = ByteString.CopyFrom(PublicKeyEncoding.Serialize(baseKey)),
            IdentityKey = ByteString.CopyFrom(identityKey.Serialize()),
            Message = ByteString.CopyFrom(message.Serialized),
        };
        if (preKeyId is uint id)
        {
            body.PreKeyId = id;
        }
        byte[] serialized = [MessageVersion.EmittedByte, .. body.ToByteArray()];
        return new PreKeySignalMessage(serialized, registrationId, preKeyId, signedPreKeyId, baseKey, identityKey, message);
    }
}
