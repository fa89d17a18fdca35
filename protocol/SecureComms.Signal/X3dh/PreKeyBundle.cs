using SecureComms.Crypto;

namespace SecureComms.Signal.X3dh;

/// <summary>
/// What a responder publishes so that others can start a session with it while it is offline (X3DH §3.2):
/// its identity key, a signed prekey with its XEdDSA signature, and optionally one one-time prekey.
/// </summary>
/// <param name="RegistrationId">The responder's registration id.</param>
/// <param name="DeviceId">The responder's device.</param>
/// <param name="PreKeyId">The one-time prekey's id, when one is included.</param>
/// <param name="PreKey">The one-time prekey (OPKb), if any.</param>
/// <param name="SignedPreKeyId">The signed prekey's id.</param>
/// <param name="SignedPreKey">The signed prekey (SPKb).</param>
/// <param name="SignedPreKeySignature">XEdDSA(IKb, Encode(SPKb)).</param>
/// <param name="IdentityKey">The responder's identity key (IKb).</param>
public sealed record PreKeyBundle(
    uint RegistrationId,
    uint DeviceId,
    uint? PreKeyId,
    X25519PublicKey? PreKey,
    uint SignedPreKeyId,
    X25519PublicKey SignedPreKey,
    byte[] SignedPreKeySignature,
    IdentityKey IdentityKey)
{
    /// <summary>Whether the signed prekey's signature verifies under the identity key.</summary>
    public bool HasValidSignature() =>
        SignedPreKeySignature.Length == XEdDsa.SignatureSizeInBytes
        && XEdDsa.Verify(IdentityKey.PublicKey, Wire.PublicKeyEncoding.Serialize(SignedPreKey), SignedPreKeySignature);
}
