using System.Security.Cryptography;

namespace SecureComms.Crypto.Tests.Contracts;

/// <summary>
/// <see cref="Sha256"/>: an exact 32-byte digest buffer, and the digest of the input written into it.
/// Known answers (FIPS 180-4 examples) live in <c>Nist/</c>.
/// </summary>
public sealed class Sha256ContractTests
{
    private static readonly byte[] Data = TestBytes.Seeded(200, 1);

    [Fact]
    public void Hash_requires_a_32_byte_digest_buffer()
    {
        Assert.Equal(32, Sha256.HashSizeInBytes);
        foreach (int length in new[] { 0, 32 - 1, 32 + 1 })
        {
            ContractAssert.ThrowsArgument("hash", () => Sha256.Hash(Data, new byte[length]), "32");
        }
    }

    [Fact]
    public void Hash_writes_the_digest_of_its_input()
    {
        var digest = new byte[32];
        Sha256.Hash(Data, digest);
        Assert.Equal(SHA256.HashData(Data), digest);
        Sha256.Hash([], digest);
        Assert.Equal(SHA256.HashData([]), digest);
    }
}
