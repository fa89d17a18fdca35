using SecureComms.Crypto;

namespace SecureComms.Vectors.Suites;

/// <summary>RFC 4231 §4.2-§4.8 test cases 1-7 (HMAC-SHA-256; case 5 truncated to 128 bits).</summary>
public sealed class Rfc4231() : VectorSuite("rfc4231", "rfc/rfc4231_hmac_sha256.json")
{
    /// <inheritdoc/>
    protected override Verdict Check(VectorCase testCase)
    {
        byte[] key = testCase.Bytes("key"), data = testCase.Bytes("data");
        byte[] expected = testCase.Has("hmac_sha256")
            ? testCase.Bytes("hmac_sha256")
            : testCase.Bytes("hmac_sha256_truncated_128");
        var mac = new byte[HmacSha256.MacSizeInBytes];
        HmacSha256.Compute(key, data, mac);
        return Verdict.PassIf(
            mac.AsSpan(0, expected.Length).SequenceEqual(expected) && HmacSha256.Verify(key, data, expected),
            "MAC differs");
    }
}
