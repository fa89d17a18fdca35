using SecureComms.Crypto;

namespace SecureComms.Vectors.Suites;

/// <summary>RFC 5869 Appendix A.1-A.3 (SHA-256): Extract, Expand and the two together.</summary>
public sealed class Rfc5869() : VectorSuite("rfc5869", "rfc/rfc5869_hkdf_sha256.json")
{
    /// <inheritdoc/>
    protected override Verdict Check(VectorCase testCase)
    {
        byte[] ikm = testCase.Bytes("ikm"), salt = testCase.Bytes("salt"), info = testCase.Bytes("info");
        byte[] expectedOkm = testCase.Bytes("okm");
        var prk = new byte[HkdfSha256.PrkSizeInBytes];
        var expanded = new byte[testCase.Int("L")];
        var derived = new byte[expanded.Length];
        HkdfSha256.Extract(ikm, salt, prk);
        HkdfSha256.Expand(prk, info, expanded);
        HkdfSha256.DeriveKey(ikm, salt, info, derived);
        return Verdict.PassIf(
            prk.AsSpan().SequenceEqual(testCase.Bytes("prk"))
            && expanded.AsSpan().SequenceEqual(expectedOkm)
            && derived.AsSpan().SequenceEqual(expectedOkm),
            "PRK or OKM differs");
    }
}
