namespace SecureComms.Crypto.Tests.Contracts;

/// <summary>
/// <see cref="XEdDsa"/> (XEdDSA rev. 1 §2.3–2.4): argument checks, round trips, refusal of any change,
/// interoperability with libsignal's bit-511 signatures, and refusal of public keys u ≥ p.
/// </summary>
public sealed class XEdDsaContractTests
{
    private static readonly byte[] Message = "XEdDSA contract"u8.ToArray();

    [Fact]
    public void Sign_checks_its_arguments()
    {
        using var key = X25519PrivateKey.Generate();
        Assert.Equal(64, XEdDsa.SignatureSizeInBytes);
        Assert.Equal(64, XEdDsa.RandomSizeInBytes);
        ContractAssert.ThrowsArgument("privateKey", () => XEdDsa.Sign(null!, Message, new byte[64]));
        ContractAssert.ThrowsArgument("privateKey", () => XEdDsa.Sign(null!, Message, new byte[64], new byte[64]));
        foreach (int length in new[] { 0, 32, 63, 65 })
        {
            ContractAssert.ThrowsArgument("random", () => XEdDsa.Sign(key, Message, new byte[length], new byte[64]), "64");
            ContractAssert.ThrowsArgument("signature", () => XEdDsa.Sign(key, Message, new byte[64], new byte[length]), "64");
            ContractAssert.ThrowsArgument("signature", () => XEdDsa.Sign(key, Message, new byte[length]), "64");
        }
    }

    [Fact]
    public void Verify_refuses_a_null_key_and_is_false_for_a_signature_of_the_wrong_length()
    {
        using var key = X25519PrivateKey.Generate();
        byte[] signature = Sign(key, Message);
        ContractAssert.ThrowsArgument("publicKey", () => XEdDsa.Verify(null!, Message, signature));
        Assert.True(XEdDsa.Verify(key.PublicKey, Message, signature));
        Assert.False(XEdDsa.Verify(key.PublicKey, Message, signature[..63]));
        Assert.False(XEdDsa.Verify(key.PublicKey, Message, [.. signature, 0]));
        Assert.False(XEdDsa.Verify(key.PublicKey, Message, []));
    }

    [Fact]
    public void Spec_signatures_of_random_keys_verify_and_keep_bit_511_clear()
    {
        var signs = new HashSet<int>();
        for (int i = 0; i < 32; i++)
        {
            using var key = X25519PrivateKey.Generate(exportable: true);
            signs.Add(ReferenceXEdDsa.EdwardsSign(Export(key)));
            byte[] signature = Sign(key, Message);
            Assert.True(XEdDsa.Verify(key.PublicKey, Message, signature));
            Assert.Equal(0, signature[63] & 0x80);
            Assert.False(XEdDsa.Verify(key.PublicKey, Message, TestBytes.FlipBit(signature, 511)));
        }
        // Both branches of calculate_key_pair (a = k and a = −k) were exercised (fails with odds 2^-31).
        Assert.Equal(2, signs.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Sign_equals_the_spec_transcription_whatever_the_Edwards_sign_bit(int edwardsSign)
    {
        for (int i = 0; i < 4; i++)
        {
            byte[] scalar = ScalarWithEdwardsSign(edwardsSign, start: 100 * i);
            byte[] unclamped = [.. scalar];
            unclamped[0] |= 0x07;
            unclamped[31] ^= 0xC0;
            using var key = X25519PrivateKey.Import(unclamped);
            byte[] z = TestBytes.Seeded(64, i);
            byte[] message = TestBytes.Seeded(i * 50, i);
            Assert.Equal(ReferenceXEdDsa.SignAsSpec(scalar, message, z), SignWith(key, message, z));
        }
    }

    /// <summary>
    /// Hash inputs of up to 1 KiB are assembled on the stack, longer ones in a pinned array: r hashes
    /// 128 + |M| bytes (boundary |M| = 896) and h hashes 64 + |M| (boundary |M| = 960).
    /// </summary>
    [Theory]
    [InlineData(896)]
    [InlineData(897)]
    [InlineData(960)]
    [InlineData(961)]
    [InlineData(5000)]
    public void Sign_equals_the_spec_transcription_on_both_sides_of_the_stack_buffer_limit(int messageLength)
    {
        byte[] scalar = ScalarWithEdwardsSign(1);
        using var key = X25519PrivateKey.Import(scalar);
        byte[] z = TestBytes.Seeded(64, messageLength), message = TestBytes.Seeded(messageLength, 7);
        byte[] signature = SignWith(key, message, z);
        Assert.Equal(ReferenceXEdDsa.SignAsSpec(scalar, message, z), signature);
        Assert.True(XEdDsa.Verify(key.PublicKey, message, signature));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void A_libsignal_signature_verifies_whatever_the_Edwards_sign_bit(int edwardsSign)
    {
        byte[] scalar = ScalarWithEdwardsSign(edwardsSign);
        using var key = X25519PrivateKey.Import(scalar);
        byte[] signature = ReferenceXEdDsa.SignAsLibsignal(scalar, Message, TestBytes.Seeded(64, 1));
        Assert.Equal(edwardsSign, signature[63] >> 7);
        Assert.True(XEdDsa.Verify(key.PublicKey, Message, signature));
        Assert.False(XEdDsa.Verify(key.PublicKey, Message, TestBytes.FlipBit(signature, 511)));
        Assert.False(XEdDsa.Verify(key.PublicKey, TestBytes.FlipBit(Message, 0), signature));
    }

    [Fact]
    public void The_same_Z_gives_the_same_signature_and_a_fresh_Z_another_that_also_verifies()
    {
        using var key = X25519PrivateKey.Generate();
        byte[] z = TestBytes.Seeded(64, 2);
        byte[] first = SignWith(key, Message, z);
        Assert.Equal(first, SignWith(key, Message, z));
        byte[] second = SignWith(key, Message, TestBytes.FlipBit(z, 0));
        Assert.NotEqual(first, second);
        Assert.True(XEdDsa.Verify(key.PublicKey, Message, first));
        Assert.True(XEdDsa.Verify(key.PublicKey, Message, second));

        byte[] fresh1 = Sign(key, Message);
        byte[] fresh2 = Sign(key, Message);
        Assert.NotEqual(fresh1, fresh2);
        Assert.True(XEdDsa.Verify(key.PublicKey, Message, fresh1));
        Assert.True(XEdDsa.Verify(key.PublicKey, Message, fresh2));
    }

    [Fact]
    public void Verify_is_false_for_another_message_another_key_or_any_flipped_signature_bit()
    {
        using var key = X25519PrivateKey.Generate();
        using var other = X25519PrivateKey.Generate();
        byte[] signature = Sign(key, Message);
        Assert.False(XEdDsa.Verify(key.PublicKey, TestBytes.FlipBit(Message, 7), signature));
        Assert.False(XEdDsa.Verify(key.PublicKey, [], signature));
        Assert.False(XEdDsa.Verify(other.PublicKey, Message, signature));
        for (int bit = 0; bit < 512; bit++)
        {
            Assert.False(XEdDsa.Verify(key.PublicKey, Message, TestBytes.FlipBit(signature, bit)));
        }
    }

    [Fact]
    public void An_unclamped_imported_key_signs_as_its_clamped_form()
    {
        byte[] raw = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        byte[] clamped = [.. raw];
        X25519PrivateKey.Clamp(clamped);
        using var rawKey = X25519PrivateKey.Import(raw);
        using var clampedKey = X25519PrivateKey.Import(clamped);
        byte[] z = TestBytes.Seeded(64, 3);
        Assert.Equal(SignWith(clampedKey, Message, z), SignWith(rawKey, Message, z));
        Assert.True(XEdDsa.Verify(rawKey.PublicKey, Message, SignWith(rawKey, Message, z)));
    }

    [Fact]
    public void A_public_key_with_bit_255_set_is_refused_even_under_a_valid_signature()
    {
        using var key = X25519PrivateKey.Generate();
        byte[] signature = Sign(key, Message);
        byte[] high = TestBytes.FlipBit(key.PublicKey.Bytes.ToArray(), 255);
        Assert.True(XEdDsa.Verify(key.PublicKey, Message, signature));
        Assert.False(XEdDsa.Verify(X25519PublicKey.Decode(high), Message, signature));
    }

    [Theory]
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // p = 2^255 − 19
    [InlineData("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // p + 1
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // 2^255 − 1
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")] // 2^256 − 1
    [InlineData("0900000000000000000000000000000000000000000000000000000000000080")] // 9 with bit 255 set
    public void Public_keys_u_at_least_p_are_refused(string uHex)
    {
        using var key = X25519PrivateKey.Generate();
        byte[] signature = Sign(key, Message);
        Assert.False(XEdDsa.Verify(X25519PublicKey.Decode(TestBytes.FromHex(uHex)), Message, signature));
    }

    [Fact]
    public void Sign_after_dispose_throws_ObjectDisposedException()
    {
        var key = X25519PrivateKey.Generate();
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => XEdDsa.Sign(key, Message, new byte[64]));
        Assert.Throws<ObjectDisposedException>(() => XEdDsa.Sign(key, Message, new byte[64], new byte[64]));
    }

    private static byte[] Sign(X25519PrivateKey key, byte[] message)
    {
        var signature = new byte[XEdDsa.SignatureSizeInBytes];
        XEdDsa.Sign(key, message, signature);
        return signature;
    }

    private static byte[] SignWith(X25519PrivateKey key, byte[] message, byte[] z)
    {
        var signature = new byte[XEdDsa.SignatureSizeInBytes];
        XEdDsa.Sign(key, message, z, signature);
        return signature;
    }

    private static byte[] Export(X25519PrivateKey key)
    {
        var scalar = new byte[32];
        key.Export(scalar);
        return scalar;
    }

    /// <summary>The first seeded clamped scalar whose Edwards public key E = kB has the given sign bit.</summary>
    private static byte[] ScalarWithEdwardsSign(int sign, int start = 0)
    {
        for (int seed = start; ; seed++)
        {
            byte[] scalar = TestBytes.Seeded(32, seed);
            X25519PrivateKey.Clamp(scalar);
            if (ReferenceXEdDsa.EdwardsSign(scalar) == sign)
            {
                return scalar;
            }
        }
    }
}
