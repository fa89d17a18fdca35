using Google.Protobuf;
using SecureComms.Cloud.Certificates;
using SecureComms.Crypto;
using CertificateBodyMessage = SecureComms.Cloud.Proto.CertificateBody;

namespace SecureComms.Cloud.Tests.Certificates;

/// <summary>Fixed keys and clock shared by the certificate tests.</summary>
internal static class CertificateFixture
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly Ed25519PrivateKey IssuerKey =
        Ed25519PrivateKey.Import(Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));

    public static readonly Ed25519PrivateKey OtherIssuerKey =
        Ed25519PrivateKey.Import(Convert.FromHexString("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));

    public static readonly byte[] AliceKey = Convert.FromHexString("05" + "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");

    public static readonly byte[] BobKey = Convert.FromHexString("05" + "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");

    public static CertificateIssuer Issuer { get; } = new(IssuerKey);

    public static CertificateIssuer OtherIssuer { get; } = new(OtherIssuerKey);

    /// <summary>Alice's certificate, issued an hour before <see cref="Now"/> for the default validity.</summary>
    public static byte[] Alice() => Issuer.Issue("alice", 42, AliceKey, Now.AddHours(-1)).Serialized.ToArray();

    /// <summary>Verifies against the fixture issuer as alice with her key, no skew.</summary>
    public static CertificateStatus Check(ReadOnlySpan<byte> certificate, string user = "alice", byte[]? key = null, DateTimeOffset? now = null, TimeSpan? skew = null) =>
        CertificateVerifier.Verify(certificate, Issuer.PublicKey, user, key ?? AliceKey, now ?? Now, skew ?? TimeSpan.Zero).Status;

    /// <summary>A well-formed version-1 body for alice, to be altered and signed by a test.</summary>
    public static CertificateBodyMessage AliceBody() => new()
    {
        Version = 1,
        Username = "alice",
        UserId = 42,
        IdentityKey = ByteString.CopyFrom(AliceKey),
        NotBeforeUnixMs = Now.AddHours(-1).ToUnixTimeMilliseconds(),
        NotAfterUnixMs = Now.AddDays(1).ToUnixTimeMilliseconds(),
        IssuerKeyId = ByteString.CopyFrom(Issuer.KeyId),
    };
}
