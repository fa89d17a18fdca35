using System.Security.Cryptography;
using SecureComms.Crypto;

namespace SecureComms.Signal.X3dh;

/// <summary>
/// The X3DH key agreement (Marlinspike and Perrin, revision 1, 2016), as libsignal computes it: the shared
/// secret SK that starts a Double Ratchet, 64 bytes (root key ‖ first chain key).
/// </summary>
/// <remarks>
/// <para>DH1 = DH(IKa, SPKb), DH2 = DH(EKa, IKb), DH3 = DH(EKa, SPKb), DH4 = DH(EKa, OPKb) when a one-time
/// prekey was used (§3.3). SK = HKDF-SHA256(salt = 0³², ikm = F ‖ DH1 ‖ DH2 ‖ DH3 [‖ DH4],
/// info = "WhisperText", 64 bytes) with F = 32 bytes of 0xFF (§2.2, X25519).</para>
/// <para>The initiator checks the signed prekey's signature before any of this
/// (<see cref="PreKeyBundle.HasValidSignature"/>). A low-order key anywhere is refused.</para>
/// </remarks>
internal static class X3dhAgreement
{
    /// <summary>Size of SK.</summary>
    public const int SharedSecretSizeInBytes = 64;

    private const int DiscontinuityBytes = 32;

    private static ReadOnlySpan<byte> Info => "WhisperText"u8;

    /// <summary>The initiator's side: SK from our identity and base (ephemeral) key and the bundle's keys.</summary>
    public static byte[] Initiator(
        X25519PrivateKey ourIdentity,
        X25519PrivateKey ourBaseKey,
        X25519PublicKey theirIdentity,
        X25519PublicKey theirSignedPreKey,
        X25519PublicKey? theirOneTimePreKey) =>
        Derive(
            (ourIdentity, theirSignedPreKey),
            (ourBaseKey, theirIdentity),
            (ourBaseKey, theirSignedPreKey),
            theirOneTimePreKey is null ? null : (ourBaseKey, theirOneTimePreKey));

    /// <summary>The responder's side: the same SK from our identity, signed and one-time prekeys.</summary>
    public static byte[] Responder(
        X25519PrivateKey ourIdentity,
        X25519PrivateKey ourSignedPreKey,
        X25519PrivateKey? ourOneTimePreKey,
        X25519PublicKey theirIdentity,
        X25519PublicKey theirBaseKey) =>
        Derive(
            (ourSignedPreKey, theirIdentity),
            (ourIdentity, theirBaseKey),
            (ourSignedPreKey, theirBaseKey),
            ourOneTimePreKey is null ? null : (ourOneTimePreKey, theirBaseKey));

    private static byte[] Derive(
        (X25519PrivateKey, X25519PublicKey) dh1,
        (X25519PrivateKey, X25519PublicKey) dh2,
        (X25519PrivateKey, X25519PublicKey) dh3,
        (X25519PrivateKey, X25519PublicKey)? dh4)
    {
        const int dh = X25519.SharedSecretSizeInBytes;
        Span<byte> input = stackalloc byte[DiscontinuityBytes + (4 * dh)];
        input[..DiscontinuityBytes].Fill(0xFF);
        int length = DiscontinuityBytes;
        (X25519PrivateKey, X25519PublicKey)[] agreements = dh4 is { } fourth ? [dh1, dh2, dh3, fourth] : [dh1, dh2, dh3];
        foreach ((X25519PrivateKey ours, X25519PublicKey theirs) in agreements)
        {
            if (X25519.Agree(ours, theirs, input.Slice(length, dh)) != AgreementResult.Success)
            {
                CryptographicOperations.ZeroMemory(input);
                throw new SignalProtocolException(SignalError.InvalidKey, "An X3DH public key has low order.");
            }
            length += dh;
        }
        byte[] secret = new byte[SharedSecretSizeInBytes];
        // Stryker disable once all : equivalent; an absent salt and a one-byte zero salt are the same HMAC key (RFC 5869 §2.2).
        HkdfSha256.DeriveKey(input[..length], [], Info, secret);
        CryptographicOperations.ZeroMemory(input);
        return secret;
    }
}
