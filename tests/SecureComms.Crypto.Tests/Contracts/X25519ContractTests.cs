using SecureComms.Vectors;

namespace SecureComms.Crypto.Tests.Contracts;

/// <summary>
/// <see cref="X25519"/> and its keys: argument checks, refusal of every small-order peer key as
/// <see cref="AgreementResult.NonContributory"/> with a zeroed output (RFC 7748 §6.1, STYLE.md §11), clamping,
/// public key = X25519(k, 9), and agreement between two parties.
/// </summary>
public sealed class X25519ContractTests
{
    private static readonly byte[] BasePoint = [9, .. new byte[31]];

    /// <summary>The Wycheproof cases whose shared secret is zero: the low-order public keys, taken from the
    /// vector file rather than retyped.</summary>
    public static TheoryData<string> ZeroSharedSecretCases => [.. ZeroSharedSecretIds()];

    [Fact]
    public void The_file_lists_the_small_order_points_of_curve25519_and_their_non_canonical_forms()
    {
        // 0, 1, the two points of order 8, p-1, p and p+1, each also with bit 255 set: 14 encodings.
        var keys = ZeroSharedSecretIds().Select(LowOrderKey).Distinct().ToList();
        Assert.Equal(14, keys.Count);
        Assert.Contains("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", keys);
    }

    [Theory, MemberData(nameof(ZeroSharedSecretCases))]
    public void A_small_order_public_key_is_NonContributory_and_the_output_is_zeroed(string tcId)
    {
        var testCase = EmbeddedVectors.Load("wycheproof/x25519_test.json")[tcId];
        var publicKey = X25519PublicKey.Decode(testCase.Bytes("public"));
        using var vectorKey = X25519PrivateKey.Import(testCase.Bytes("private"));
        using var freshKey = X25519PrivateKey.Generate();
        foreach (var privateKey in new[] { vectorKey, freshKey })
        {
            var shared = TestBytes.Poisoned(X25519.SharedSecretSizeInBytes);
            Assert.Equal(AgreementResult.NonContributory, X25519.Agree(privateKey, publicKey, shared));
            ContractAssert.AllZero(shared);
        }
    }

    [Fact]
    public void Agree_checks_its_arguments()
    {
        using var key = X25519PrivateKey.Generate();
        ContractAssert.ThrowsArgument("privateKey", () => X25519.Agree(null!, key.PublicKey, new byte[32]));
        ContractAssert.ThrowsArgument("publicKey", () => X25519.Agree(key, null!, new byte[32]));
        foreach (int length in new[] { 0, 31, 33 })
        {
            ContractAssert.ThrowsArgument("sharedSecret", () => X25519.Agree(key, key.PublicKey, new byte[length]), "32");
        }
    }

    [Fact]
    public void Both_parties_compute_the_same_non_zero_secret()
    {
        for (int i = 0; i < 8; i++)
        {
            using var alice = X25519PrivateKey.Generate();
            using var bob = X25519PrivateKey.Generate();
            var aliceShared = new byte[32];
            var bobShared = new byte[32];
            Assert.Equal(AgreementResult.Success, X25519.Agree(alice, bob.PublicKey, aliceShared));
            Assert.Equal(AgreementResult.Success, X25519.Agree(bob, alice.PublicKey, bobShared));
            Assert.Equal(aliceShared, bobShared);
            Assert.False(TestBytes.IsAllZero(aliceShared));
            Assert.NotEqual(alice.PublicKey, bob.PublicKey);
        }
    }

    [Fact]
    public void The_public_key_is_the_agreement_with_the_base_point_9()
    {
        var basePoint = X25519PublicKey.Decode(BasePoint);
        for (int seed = 0; seed < 8; seed++)
        {
            using var key = X25519PrivateKey.Import(TestBytes.Seeded(32, seed));
            var shared = new byte[32];
            Assert.Equal(AgreementResult.Success, X25519.Agree(key, basePoint, shared));
            Assert.Equal(shared, key.PublicKey.Bytes.ToArray());
        }
    }

    [Fact]
    public void Generated_private_keys_are_clamped()
    {
        for (int i = 0; i < 64; i++)
        {
            using var key = X25519PrivateKey.Generate(exportable: true);
            var scalar = new byte[32];
            key.Export(scalar);
            Assert.Equal(0, scalar[0] & 0b0000_0111);
            Assert.Equal(0, scalar[31] & 0b1000_0000);
            Assert.Equal(0b0100_0000, scalar[31] & 0b0100_0000);
        }
    }

    [Fact]
    public void Clamp_clears_the_three_low_bits_and_bit_255_and_sets_bit_254()
    {
        byte[] ones = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        X25519PrivateKey.Clamp(ones);
        Assert.Equal([0xF8, .. Enumerable.Repeat((byte)0xFF, 30), 0x7F], ones);
        var zeros = new byte[32];
        X25519PrivateKey.Clamp(zeros);
        Assert.Equal([.. new byte[31], 0x40], zeros);
    }

    [Fact]
    public void Imported_keys_are_kept_as_given_and_clamped_by_the_function()
    {
        byte[] raw = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        byte[] clamped = [.. raw];
        X25519PrivateKey.Clamp(clamped);
        using var rawKey = X25519PrivateKey.Import(raw, exportable: true);
        using var clampedKey = X25519PrivateKey.Import(clamped);
        var exported = new byte[32];
        rawKey.Export(exported);
        Assert.Equal(raw, exported);
        Assert.Equal(clampedKey.PublicKey, rawKey.PublicKey);

        using var peer = X25519PrivateKey.Generate();
        var fromRaw = new byte[32];
        var fromClamped = new byte[32];
        X25519.Agree(rawKey, peer.PublicKey, fromRaw);
        X25519.Agree(clampedKey, peer.PublicKey, fromClamped);
        Assert.Equal(fromClamped, fromRaw);
    }

    [Fact]
    public void Public_keys_decode_from_exactly_32_bytes()
    {
        foreach (int length in new[] { 0, 31, 33 })
        {
            ContractAssert.ThrowsArgument("encoded", () => X25519PublicKey.Decode(new byte[length]), "32");
            Assert.False(X25519PublicKey.TryDecode(new byte[length], out var refused));
            Assert.Null(refused);
        }
        byte[] bytes = TestBytes.Seeded(32, 1);
        Assert.True(X25519PublicKey.TryDecode(bytes, out var key));
        Assert.Equal(bytes, key!.Bytes.ToArray());
    }

    [Fact]
    public void Public_keys_are_equal_exactly_when_their_bytes_are()
    {
        byte[] bytes = TestBytes.Seeded(32, 2);
        var key = X25519PublicKey.Decode(bytes);
        var same = X25519PublicKey.Decode(bytes);
        var other = X25519PublicKey.Decode(TestBytes.FlipBit(bytes, 255));
        Assert.True(key.Equals(same));
        Assert.True(key.Equals((object)same));
        Assert.Equal(key.GetHashCode(), same.GetHashCode());
        Assert.False(key.Equals(other));
        Assert.False(key.Equals((X25519PublicKey?)null));
        Assert.False(key.Equals(bytes));
        Assert.Equal($"X25519PublicKey({Convert.ToHexStringLower(bytes)})", key.ToString());
    }

    private static IEnumerable<string> ZeroSharedSecretIds() =>
        EmbeddedVectors.Load("wycheproof/x25519_test.json").Cases
            .Where(c => c.Strings("flags").Contains("ZeroSharedSecret"))
            .Select(c => c.Id);

    private static string LowOrderKey(string tcId) =>
        EmbeddedVectors.Load("wycheproof/x25519_test.json")[tcId].Text("public");

    [Theory]
    [InlineData("0900000000000000000000000000000000000000000000000000000000000000", true)]                  // u = 9
    [InlineData("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", true)]                  // p − 1
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7e", true)]                  // top byte 0x7e
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", false)]                 // p
    [InlineData("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", false)]                 // p + 1
    [InlineData("ecfffffffffffffffffffffffffffffffffffffffffffffffffffffffffeff7f", true)]                  // below p, one inner byte lower
    [InlineData("0900000000000000000000000000000000000000000000000000000000000080", false)]                 // 9 with bit 255 set
    public void IsCanonical_holds_exactly_below_p(string hex, bool canonical) =>
        Assert.Equal(canonical, X25519PublicKey.Decode(Convert.FromHexString(hex)).IsCanonical);

    [Fact]
    public void Every_generated_public_key_is_canonical()
    {
        for (int i = 0; i < 64; i++)
        {
            using var key = X25519PrivateKey.Generate();
            Assert.True(key.PublicKey.IsCanonical);
        }
    }
}
