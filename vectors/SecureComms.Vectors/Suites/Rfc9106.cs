using SecureComms.Crypto;

namespace SecureComms.Vectors.Suites;

/// <summary>
/// RFC 9106 §5.3 Argon2id (p = 4, with secret K and associated data X) against <see cref="Argon2id"/>,
/// which runs it on its BouncyCastle path (libsodium has no K, X or p).
/// </summary>
public sealed class Rfc9106() : VectorSuite("rfc9106", "rfc/rfc9106_argon2id.json")
{
    /// <inheritdoc/>
    protected override Verdict Check(VectorCase testCase)
    {
        var parameters = new Argon2idParameters(
            testCase.Id, testCase.Int("memory_kib"), testCase.Int("passes"), testCase.Int("parallelism"));
        byte[] expected = testCase.Bytes("tag");
        var tag = new byte[testCase.Int("tag_length")];
        Argon2id.DeriveBytes(
            testCase.Bytes("password"), testCase.Bytes("salt"), parameters, tag,
            secret: testCase.Bytes("secret"), associatedData: testCase.Bytes("associated_data"));
        return Verdict.PassIf(tag.AsSpan().SequenceEqual(expected), "tag differs");
    }
}
