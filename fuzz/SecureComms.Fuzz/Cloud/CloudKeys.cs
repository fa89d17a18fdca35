using Google.Protobuf;
using SecureComms.Cloud.Certificates;
using SecureComms.Cloud.Proto;
using SecureComms.Crypto;

namespace SecureComms.Fuzz.Cloud;

/// <summary>
/// The keys of the <c>cloud-handlers</c> world: identity keys with a signed prekey each really signed (the server
/// checks the XEdDSA signature at upload, so a fuzzed key pair almost never gets through), and the deployment's
/// certificate issuer key.
/// </summary>
/// <remarks>
/// <para><b>Fixtures, not secrets.</b> Every private key here is a constant of this file (the issuer's is RFC 8032
/// §7.1 TEST 1's, as <c>identity-certificate</c> uses): they protect nothing. Signatures are made once per process
/// with fresh XEdDSA randomness, so their bytes differ between processes; no handler's decision depends on which
/// valid signature it sees.</para>
/// <para><b>Use.</b> <see cref="SignedUpload"/> makes the world's uploads; <see cref="CloudHandlerInput"/> replaces
/// the identity key and signed prekey of a fuzzed UploadPreKeys whose identity key is one byte b with known pair
/// b mod <see cref="IdentityCount"/>, keeping the fuzzed device, registration id and one-time prekeys.</para>
/// </remarks>
internal static class CloudKeys
{
    /// <summary>Known identities: 0 alice's, 1 bob's, 2 carol's, 3 nobody's yet.</summary>
    public const int IdentityCount = 4;

    /// <summary>Curve25519 keys as Signal serializes them: a type byte...</summary>
    public const byte KeyType = 0x05;

    private static readonly byte[] IssuerSeed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

    private static readonly Lazy<(ByteString IdentityKey, SignedPreKeyRecord SignedPreKey)[]> Identities = new(MakeIdentities);

    /// <summary>Known identity <paramref name="index"/> (mod <see cref="IdentityCount"/>): its serialized public key
    /// and a signed prekey record (id 1) it signed.</summary>
    public static (ByteString IdentityKey, SignedPreKeyRecord SignedPreKey) Identity(int index) =>
        Identities.Value[index % IdentityCount];

    /// <summary>An upload for device 1 of known identity <paramref name="identity"/> with
    /// <paramref name="oneTimePreKeys"/> one-time prekeys (ids from 1).</summary>
    public static UploadPreKeys SignedUpload(int identity, uint registrationId, int oneTimePreKeys)
    {
        (ByteString identityKey, SignedPreKeyRecord signedPreKey) = Identity(identity);
        var upload = new UploadPreKeys
        {
            DeviceId = 1,
            RegistrationId = registrationId,
            IdentityKey = identityKey,
            SignedPreKey = signedPreKey.Clone(),
        };
        for (uint id = 1; id <= oneTimePreKeys; id++)
        {
            byte[] publicKey = [KeyType, .. Enumerable.Repeat((byte)id, X25519PublicKey.SizeInBytes)];
            upload.OneTimePreKeys.Add(new OneTimePreKeyRecord { Id = id, PublicKey = ByteString.CopyFrom(publicKey) });
        }
        return upload;
    }

    /// <summary>A new issuer over the fixture key; the caller disposes the key after the issuer's last use.</summary>
    public static (CertificateIssuer Issuer, Ed25519PrivateKey Key) NewIssuer()
    {
        Ed25519PrivateKey key = Ed25519PrivateKey.Import(IssuerSeed);
        return (new CertificateIssuer(key), key);
    }

    private static (ByteString, SignedPreKeyRecord)[] MakeIdentities()
    {
        var identities = new (ByteString, SignedPreKeyRecord)[IdentityCount];
        for (int i = 0; i < IdentityCount; i++)
        {
            using X25519PrivateKey identity = X25519PrivateKey.Import([.. Enumerable.Repeat((byte)(0x10 + i), X25519PrivateKey.SizeInBytes)]);
            using X25519PrivateKey signedPreKey = X25519PrivateKey.Import([.. Enumerable.Repeat((byte)(0x20 + i), X25519PrivateKey.SizeInBytes)]);
            byte[] signedPreKeyBytes = [KeyType, .. signedPreKey.PublicKey.Bytes];
            byte[] signature = new byte[XEdDsa.SignatureSizeInBytes];
            XEdDsa.Sign(identity, signedPreKeyBytes, signature);
            identities[i] = (ByteString.CopyFrom([KeyType, .. identity.PublicKey.Bytes]), new SignedPreKeyRecord
            {
                Id = 1,
                PublicKey = ByteString.CopyFrom(signedPreKeyBytes),
                Signature = ByteString.CopyFrom(signature),
            });
        }
        return identities;
    }
}
