using Google.Protobuf;
using SecureComms.Cloud.Certificates;
using SecureComms.Crypto;
using CertificateBodyMessage = SecureComms.Cloud.Proto.CertificateBody;
using CertificateEnvelope = SecureComms.Cloud.Proto.IdentityCertificate;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// Fuzz target <c>identity-certificate</c>: <see cref="IdentityCertificate.TryParse(ReadOnlySpan{byte}, out IdentityCertificate?, out CertificateStatus)"/>
/// and <see cref="CertificateVerifier.Verify(ReadOnlySpan{byte}, Ed25519PublicKey, string, byte[], DateTimeOffset, TimeSpan)"/>
/// of the input against a fixed issuer, user, identity key and clock.
/// </summary>
/// <remarks>
/// Oracles: nothing escapes (every refusal is a <see cref="CertificateStatus"/>); the input is
/// <see cref="CertificateStatus.Valid"/> only if it is exactly one of the certificates the fixed issuer signed
/// for alice: with the identity key check, <see cref="SeedCertificate"/> or its signed variant with an unknown
/// body field; without it, also the one binding another key (<c>seed-valid</c>, <c>seed-unknown-body-field</c>,
/// <c>seed-other-key</c> in the corpus); each of those is Valid; a valid certificate also parses, to the input bytes and the
/// expected user and key; input over <see cref="IdentityCertificate.MaxSerializedSizeInBytes"/> is
/// <see cref="CertificateStatus.Malformed"/>; a parse failure is never Valid. Keys and times are fixed
/// (Ed25519 is deterministic), so <see cref="MakeSeeds"/> writes the same corpus every time.
/// </remarks>
public static class IdentityCertificateTarget
{
    /// <summary>The target's name on the command line and in <c>fuzz/corpus/</c>.</summary>
    public const string Name = "identity-certificate";

    /// <summary>The user the seed certificate is for.</summary>
    public const string Username = "alice";

    /// <summary>The verifier's clock: 2025-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The issuer's seed: RFC 8032 §7.1 TEST 1's secret key.</summary>
    private static readonly byte[] IssuerSeed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

    /// <summary>Another issuer's seed: RFC 8032 §7.1 TEST 2's secret key.</summary>
    private static readonly byte[] OtherIssuerSeed = Convert.FromHexString("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");

    /// <summary>0x05 ‖ RFC 7748 §6.1 Alice's public key.</summary>
    private static readonly byte[] AliceIdentityKey = Convert.FromHexString("05" + "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");

    /// <summary>0x05 ‖ RFC 7748 §6.1 Bob's public key.</summary>
    private static readonly byte[] BobIdentityKey = Convert.FromHexString("05" + "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");

    private static readonly Ed25519PublicKey IssuerPublicKey = MakeIssuerPublicKey();

    /// <summary>The one certificate that verifies: alice, user 42, her identity key, issued a day before
    /// <see cref="Now"/> for the default validity.</summary>
    public static byte[] SeedCertificate { get; } = MakeSeedCertificate();

    /// <summary>The certificates the fixed issuer signed for alice and that must verify (see <see cref="MakeSeeds"/>).</summary>
    private static readonly (byte[] UnknownField, byte[] OtherKey) Accepted = MakeAccepted();

    private static readonly byte[][] AcceptedWithKey = [SeedCertificate, Accepted.UnknownField];

    /// <summary>Runs one input.</summary>
    public static void Target(ReadOnlySpan<byte> data)
    {
        var checkedKey = CertificateVerifier.Verify(data, IssuerPublicKey, Username, AliceIdentityKey, Now, CertificateVerifier.DefaultClockSkew);
        var anyKey = CertificateVerifier.Verify(data, IssuerPublicKey, Username, null, Now, TimeSpan.Zero);
        bool parsed = IdentityCertificate.TryParse(data, out var certificate, out var parseError);
        bool isAlicesKey = IsOneOf(data, AcceptedWithKey);
        bool isAlices = isAlicesKey || data.SequenceEqual(Accepted.OtherKey);

        FuzzFindingException.Require(checkedKey.IsValid == (checkedKey.Status == CertificateStatus.Valid), "Valid comes with its certificate");
        FuzzFindingException.Require(checkedKey.IsValid == isAlicesKey, "exactly the issued certificates for alice and her key verify");
        FuzzFindingException.Require(anyKey.IsValid == isAlices, "exactly the issued certificates for alice verify without the key check");
        FuzzFindingException.Require(parsed == (certificate is not null), "TryParse returns its certificate");
        FuzzFindingException.Require(parsed || parseError is CertificateStatus.Malformed or CertificateStatus.UnsupportedVersion, "a parse failure is Malformed or UnsupportedVersion");
        FuzzFindingException.Require(parsed || !checkedKey.IsValid, "a certificate that does not parse never verifies");
        FuzzFindingException.Require(certificate is null || certificate.Serialized.SequenceEqual(data), "a parsed certificate is the input bytes");
        FuzzFindingException.Require(
            data.Length <= IdentityCertificate.MaxSerializedSizeInBytes || (checkedKey.Status == CertificateStatus.Malformed && !parsed),
            "input over the size bound is malformed");
        if (checkedKey.Certificate is { } valid)
        {
            FuzzFindingException.Require(
                valid.Username == Username && valid.IdentityKey.SequenceEqual(AliceIdentityKey) && valid.Serialized.SequenceEqual(data),
                "a valid certificate is for the expected user and key");
        }
    }

    /// <summary>The corpus: the seed, refusals of every kind, and structurally odd inputs.</summary>
    public static IReadOnlyDictionary<string, byte[]> MakeSeeds()
    {
        using var issuerKey = IssuerKey();
        using var otherKey = Ed25519PrivateKey.Import(OtherIssuerSeed);
        var issuer = new CertificateIssuer(issuerKey);
        var other = new CertificateIssuer(otherKey);
        byte[] seed = SeedCertificate;
        var body = CertificateBodyMessage.Parser.ParseFrom(IdentityCertificate.Parse(seed).Body);

        byte[] flippedBody = (byte[])seed.Clone();
        flippedBody[10] ^= 0x01;
        byte[] flippedSignature = (byte[])seed.Clone();
        flippedSignature[^1] ^= 0x80;
        var version2 = body.Clone();
        version2.Version = 2;
        byte[] unknownField = [.. body.ToByteArray(), 0x78, 0x01];

        return new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["seed-valid"] = seed,
            ["seed-other-user"] = issuer.Issue("bob", 43, BobIdentityKey, Now.AddDays(-1)).Serialized.ToArray(),
            ["seed-other-key"] = issuer.Issue(Username, 42, BobIdentityKey, Now.AddDays(-1)).Serialized.ToArray(),
            ["seed-expired"] = issuer.Issue(Username, 42, AliceIdentityKey, Now.AddDays(-8)).Serialized.ToArray(),
            ["seed-not-yet-valid"] = issuer.Issue(Username, 42, AliceIdentityKey, Now.AddDays(1)).Serialized.ToArray(),
            ["seed-other-issuer"] = other.Issue(Username, 42, AliceIdentityKey, Now.AddDays(-1)).Serialized.ToArray(),
            ["seed-body-bit-flip"] = flippedBody,
            ["seed-signature-bit-flip"] = flippedSignature,
            ["seed-version-2"] = Sign(issuerKey, version2.ToByteArray()),
            ["seed-unknown-body-field"] = Sign(issuerKey, unknownField),
            ["seed-truncated"] = seed[..^1],
            ["seed-unknown-envelope-field"] = [.. seed, 0x18, 0x01],
            ["seed-repeated-signature"] = [.. seed, 0x12, 0x40, .. seed[^64..]],
            ["seed-empty"] = [],
        };
    }

    private static (byte[], byte[]) MakeAccepted()
    {
        var seeds = MakeSeeds();
        return (seeds["seed-unknown-body-field"], seeds["seed-other-key"]);
    }

    private static bool IsOneOf(ReadOnlySpan<byte> data, byte[][] candidates)
    {
        foreach (byte[] candidate in candidates)
        {
            if (data.SequenceEqual(candidate))
            {
                return true;
            }
        }
        return false;
    }

    private static Ed25519PublicKey MakeIssuerPublicKey()
    {
        using var key = IssuerKey();
        return key.PublicKey;
    }

    private static Ed25519PrivateKey IssuerKey() => Ed25519PrivateKey.Import(IssuerSeed);

    private static byte[] MakeSeedCertificate()
    {
        using var key = IssuerKey();
        return new CertificateIssuer(key).Issue(Username, 42, AliceIdentityKey, Now.AddDays(-1)).Serialized.ToArray();
    }

    private static byte[] Sign(Ed25519PrivateKey key, byte[] body)
    {
        byte[] signature = new byte[Ed25519.SignatureSizeInBytes];
        Ed25519.Sign(key, IdentityCertificate.SignedBytes(body), signature);
        return new CertificateEnvelope { Body = ByteString.CopyFrom(body), Signature = ByteString.CopyFrom(signature) }.ToByteArray();
    }

    /// <summary>Writes <see cref="MakeSeeds"/> into <c>FUZZDIR/corpus/identity-certificate/</c>, keeping other files.</summary>
    public static int WriteSeeds(string fuzzDirectory)
    {
        string folder = Path.Combine(fuzzDirectory, "corpus", Name);
        Directory.CreateDirectory(folder);
        foreach (var (file, bytes) in MakeSeeds())
        {
            File.WriteAllBytes(Path.Combine(folder, file), bytes);
        }
        return 0;
    }
}
