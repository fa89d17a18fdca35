using System.Security.Cryptography;

namespace SecureComms.Crypto.Tests.Contracts;

/// <summary>
/// <see cref="Sha512"/>: an exact 64-byte digest buffer, and the digest of the input written into it.
/// Known answers (FIPS 180-4 examples) live in <c>Nist/</c>.
/// </summary>
public sealed class Sha512ContractTests
{
    private static readonly byte[] Data = TestBytes.Seeded(200, 1);

    [Fact]
    public void Hash_requires_a_64_byte_digest_buffer()
    {
        Assert.Equal(64, Sha512.HashSizeInBytes);
        foreach (int length in new[] { 0, 64 - 1, 64 + 1 })
        {
            ContractAssert.ThrowsArgument("hash", () => Sha512.Hash(Data, new byte[length]), "64");
        }
    }

    [Fact]
    public void Hash_writes_the_digest_of_its_input()
    {
        var digest = new byte[64];
        Sha512.Hash(Data, digest);
        Assert.Equal(SHA512.HashData(Data), digest);
        Sha512.Hash([], digest);
        Assert.Equal(SHA512.HashData([]), digest);
    }
}
