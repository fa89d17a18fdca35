using System.Security.Cryptography;

namespace SecureComms.Crypto.Tests.Contracts;

/// <summary>
/// <see cref="Aes256Ctr"/>: argument checks, keystream block i = AES_K(counter + i) with a 128-bit
/// big-endian increment (SP 800-38A §6.5, B.1), and the involution that makes it its own inverse.
/// </summary>
public sealed class Aes256CtrContractTests
{
    private static readonly byte[] Key = TestBytes.Seeded(32, 1);

    [Fact]
    public void Transform_requires_a_256_bit_key_a_128_bit_counter_and_equal_lengths()
    {
        var counter = new byte[16];
        foreach (int length in new[] { 0, 31, 33 })
        {
            ContractAssert.ThrowsArgument("key", () => Aes256Ctr.Transform(new byte[length], counter, [], []), "32");
        }
        foreach (int length in new[] { 0, 15, 17 })
        {
            ContractAssert.ThrowsArgument("counter", () => Aes256Ctr.Transform(Key, new byte[length], [], []), "16");
        }
        ContractAssert.ThrowsArgument("output", () => Aes256Ctr.Transform(Key, counter, new byte[5], new byte[4]));
        ContractAssert.ThrowsArgument("output", () => Aes256Ctr.Transform(Key, counter, new byte[5], new byte[6]));
    }

    [Theory]
    [InlineData("000102030405060708090a0b0c0d0e0f")]
    [InlineData("000102030405060708090a0b0c0d00ff")]
    [InlineData("0001020304050607ffffffffffffffff")]
    public void Keystream_block_i_is_AES_of_counter_plus_i(string counterHex)
    {
        byte[] counter = TestBytes.FromHex(counterHex);
        var keystream = new byte[48];
        Aes256Ctr.Transform(Key, counter, new byte[48], keystream);

        using var aes = Aes.Create();
        aes.Key = Key;
        byte[] block = counter;
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(aes.EncryptEcb(block, PaddingMode.None), keystream[(16 * i)..(16 * (i + 1))]);
            block = Increment(block);
        }
    }

    [Fact]
    public void Transforming_32_bytes_equals_two_16_byte_transforms_with_counter_plus_one()
    {
        byte[] counter = TestBytes.FromHex("f0e1d2c3b4a5968778695a4b3c2d1eff");
        byte[] input = TestBytes.Seeded(32, 2);
        var whole = new byte[32];
        var first = new byte[16];
        var second = new byte[16];
        Aes256Ctr.Transform(Key, counter, input, whole);
        Aes256Ctr.Transform(Key, counter, input.AsSpan(0, 16), first);
        Aes256Ctr.Transform(Key, Increment(counter), input.AsSpan(16), second);
        Assert.Equal(whole, first.Concat(second).ToArray());
    }

    [Fact]
    public void Transform_is_its_own_inverse_and_a_prefix_of_longer_transforms()
    {
        byte[] counter = TestBytes.Seeded(16, 3);
        byte[] plaintext = TestBytes.Seeded(45, 4);
        var ciphertext = new byte[45];
        var decrypted = new byte[45];
        Aes256Ctr.Transform(Key, counter, plaintext, ciphertext);
        Assert.NotEqual(plaintext, ciphertext);
        Aes256Ctr.Transform(Key, counter, ciphertext, decrypted);
        Assert.Equal(plaintext, decrypted);
        foreach (int length in new[] { 0, 1, 15, 17, 33 })
        {
            var prefix = new byte[length];
            Aes256Ctr.Transform(Key, counter, plaintext.AsSpan(0, length), prefix);
            Assert.Equal(ciphertext[..length], prefix);
        }
    }

    /// <summary>SP 800-38A B.1: the whole 128-bit block as one big-endian integer, plus one.</summary>
    private static byte[] Increment(byte[] counter)
    {
        byte[] next = [.. counter];
        for (int i = next.Length - 1; i >= 0; i--)
        {
            next[i] = unchecked((byte)(next[i] + 1));
            if (next[i] != 0)
            {
                break;
            }
        }
        return next;
    }
}
