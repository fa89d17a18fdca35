using SecureComms.Crypto;

namespace SecureComms.Traversal.Tests.Rfc;

/// <summary>
/// Known answers for the legacy primitives STUN mandates, wrapped in <c>crypto/</c> for it: HMAC-SHA1 (RFC 2202
/// §3 test case 1) and MD5 (RFC 1321 A.5 "abc"); and the CRC-32 check value ("123456789" → 0xCBF43926) of the
/// System.IO.Hashing polynomial FINGERPRINT uses.
/// </summary>
public sealed class StunPrimitiveTests
{
    [Fact]
    public void HmacSha1Rfc2202TestCase1()
    {
        byte[] key = [.. Enumerable.Repeat((byte)0x0b, 20)];
        var mac = new byte[HmacSha1.MacSizeInBytes];
        HmacSha1.Compute(key, "Hi There"u8, mac);
        Assert.Equal("b617318655057264e28bc0b6fb378c8ef146be00", Convert.ToHexStringLower(mac));
        Assert.True(HmacSha1.Verify(key, "Hi There"u8, mac));
        mac[19] ^= 1;
        Assert.False(HmacSha1.Verify(key, "Hi There"u8, mac));
        Assert.False(HmacSha1.Verify(key, "Hi There"u8, mac[..16]));
        Assert.Throws<ArgumentException>(() => HmacSha1.Compute(key, "Hi There"u8, new byte[16]));
    }

    [Fact]
    public void Md5Rfc1321Abc()
    {
        var hash = new byte[Md5.HashSizeInBytes];
        Md5.Hash("abc"u8, hash);
        Assert.Equal("900150983cd24fb0d6963f7d28e17f72", Convert.ToHexStringLower(hash));
        Assert.Throws<ArgumentException>(() => Md5.Hash("abc"u8, new byte[20]));
    }

    [Fact]
    public void Crc32CheckValue() =>
        Assert.Equal(0xCBF43926u, System.IO.Hashing.Crc32.HashToUInt32("123456789"u8));
}
