using SecureComms.Crypto;

namespace SecureComms.Vectors.Suites;

/// <summary>
/// Wycheproof <c>hmac_sha256_test.json</c> (RFC 2104) against <see cref="HmacSha256"/>: the full MAC's
/// leftmost <c>tagSize</c> bits must equal the tag, and <see cref="HmacSha256.Verify"/> must agree.
/// </summary>
public sealed class WycheproofHmacSha256() : WycheproofSuite("hmac_sha256_test")
{
    /// <inheritdoc/>
    protected override Attempt Try(VectorCase testCase)
    {
        byte[] key = testCase.Bytes("key"), msg = testCase.Bytes("msg"), tag = testCase.Bytes("tag");
        int tagBytes = testCase.Int("tagSize") / 8;
        Span<byte> mac = stackalloc byte[HmacSha256.MacSizeInBytes];
        HmacSha256.Compute(key, msg, mac);
        bool verified = HmacSha256.Verify(key, msg, tag);
        bool equal = tag.Length == tagBytes && mac[..tagBytes].SequenceEqual(tag);
        return (verified, equal) switch
        {
            (true, true) => Attempt.Accepted,
            (false, false) => Attempt.Rejected,
            _ => Attempt.WrongOutput,
        };
    }
}
