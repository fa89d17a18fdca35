using SecureComms.Crypto;

namespace SecureComms.Vectors.Suites;

/// <summary>Wycheproof <c>hkdf_sha256_test.json</c> (RFC 5869) against <see cref="HkdfSha256"/>.</summary>
public sealed class WycheproofHkdfSha256() : WycheproofSuite("hkdf_sha256_test")
{
    /// <inheritdoc/>
    protected override Attempt Try(VectorCase testCase)
    {
        var okm = new byte[testCase.Int("size")];
        HkdfSha256.DeriveKey(testCase.Bytes("ikm"), testCase.Bytes("salt"), testCase.Bytes("info"), okm);
        return Matches(okm, testCase.Bytes("okm"));
    }
}
