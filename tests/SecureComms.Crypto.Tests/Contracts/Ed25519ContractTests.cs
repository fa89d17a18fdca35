namespace SecureComms.Crypto.Tests.Contracts;

/// <summary>
/// <see cref="Ed25519"/> and its keys (RFC 8032 §5.1): argument checks, round trips, refusal of any change
/// (malformed input is false, never an exception), and the seed as the exported private key. Known answers
/// live in <c>Rfc/</c> (RFC 8032 §7.1); the s + L twin in <c>Threats/</c>.
/// </summary>
public sealed class Ed25519ContractTests
{
    private static readonly byte[] Message = "Ed25519 contract"u8.ToArray();

    [Fact]
    public void Sign_checks_its_arguments()
    {
        using var key = Ed25519PrivateKey.Generate();
        Assert.Equal(64, Ed25519.SignatureSizeInBytes);
        ContractAssert.ThrowsArgument("privateKey", () => Ed25519.Sign(null!, Message, new byte[64]));
        foreach (int length in new[] { 0, 63, 65 })
        {
            ContractAssert.ThrowsArgument("signature", () => Ed25519.Sign(key, Message, new byte[length]), "64");
        }
    }

    [Fact]
    public void Verify_refuses_a_null_key_and_is_false_for_a_signature_of_63_or_65_bytes()
    {
        using var key = Ed25519PrivateKey.Generate();
        byte[] signature = Sign(key, Message);
        ContractAssert.ThrowsArgument("publicKey", () => Ed25519.Verify(null!, Message, signature));
        Assert.True(Ed25519.Verify(key.PublicKey, Message, signature));
        Assert.False(Ed25519.Verify(key.PublicKey, Message, signature[..63]));
        Assert.False(Ed25519.Verify(key.PublicKey, Message, [.. signature, 0]));
        Assert.False(Ed25519.Verify(key.PublicKey, Message, []));
    }

    [Fact]
    public void Signatures_are_deterministic_and_verify()
    {
        using var key = Ed25519PrivateKey.Import(TestBytes.Seeded(32, 1));
        byte[] signature = Sign(key, Message);
        Assert.Equal(signature, Sign(key, Message));
        Assert.True(Ed25519.Verify(key.PublicKey, Message, signature));
        Assert.True(Ed25519.Verify(key.PublicKey, [], Sign(key, [])));
    }

    [Fact]
    public void Verify_is_false_for_another_message_another_key_or_any_flipped_signature_bit()
    {
        using var key = Ed25519PrivateKey.Generate();
        using var other = Ed25519PrivateKey.Generate();
        byte[] signature = Sign(key, Message);
        Assert.False(Ed25519.Verify(key.PublicKey, TestBytes.FlipBit(Message, 0), signature));
        Assert.False(Ed25519.Verify(other.PublicKey, Message, signature));
        for (int bit = 0; bit < 512; bit++)
        {
            Assert.False(Ed25519.Verify(key.PublicKey, Message, TestBytes.FlipBit(signature, bit)));
        }
    }

    [Fact]
    public void Verify_is_false_not_an_exception_for_a_public_key_that_is_not_a_point()
    {
        using var key = Ed25519PrivateKey.Generate();
        byte[] signature = Sign(key, Message);
        // y = 2 is not the y-coordinate of any point; y = 1 is the identity (small order).
        byte[] notAPoint = [2, .. new byte[31]];
        byte[] identity = [1, .. new byte[31]];
        Assert.False(Ed25519.Verify(Ed25519PublicKey.Decode(notAPoint), Message, signature));
        Assert.False(Ed25519.Verify(Ed25519PublicKey.Decode(identity), Message, signature));
    }

    [Fact]
    public void The_seed_imports_and_exports_unchanged_and_determines_the_public_key()
    {
        byte[] seed = TestBytes.Seeded(32, 2);
        using var key = Ed25519PrivateKey.Import(seed, exportable: true);
        using var again = Ed25519PrivateKey.Import(seed);
        using var other = Ed25519PrivateKey.Import(TestBytes.FlipBit(seed, 0));
        var exported = new byte[32];
        key.Export(exported);
        Assert.Equal(seed, exported);
        Assert.Equal(key.PublicKey, again.PublicKey);
        Assert.NotEqual(key.PublicKey, other.PublicKey);
        Assert.Equal(Ed25519PrivateKey.SeedSizeInBytes, Ed25519PublicKey.SizeInBytes);
    }

    [Fact]
    public void A_generated_key_is_exportable_only_when_asked()
    {
        using var exportable = Ed25519PrivateKey.Generate(exportable: true);
        using var hidden = Ed25519PrivateKey.Generate();
        var seed = new byte[32];
        exportable.Export(seed);
        using var imported = Ed25519PrivateKey.Import(seed);
        Assert.Equal(exportable.PublicKey, imported.PublicKey);
        Assert.Throws<InvalidOperationException>(() => hidden.Export(new byte[32]));
    }

    [Fact]
    public void Sign_and_Export_after_dispose_throw_ObjectDisposedException()
    {
        var key = Ed25519PrivateKey.Generate(exportable: true);
        var publicKey = key.PublicKey;
        Assert.False(key.IsDisposed);
        key.Dispose();
        Assert.True(key.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => Ed25519.Sign(key, Message, new byte[64]));
        Assert.Throws<ObjectDisposedException>(() => key.Export(new byte[32]));
        Assert.Equal(publicKey, key.PublicKey);
    }

    [Fact]
    public void ToString_shows_the_algorithm_and_size_only()
    {
        using var key = Ed25519PrivateKey.Generate();
        Assert.Equal("Ed25519PrivateKey(32 bytes)", key.ToString());
    }

    [Fact]
    public void Public_keys_decode_from_exactly_32_bytes_and_compare_by_value()
    {
        foreach (int length in new[] { 0, 31, 33 })
        {
            ContractAssert.ThrowsArgument("encoded", () => Ed25519PublicKey.Decode(new byte[length]), "32");
            Assert.False(Ed25519PublicKey.TryDecode(new byte[length], out var refused));
            Assert.Null(refused);
        }
        byte[] bytes = TestBytes.Seeded(32, 3);
        var key = Ed25519PublicKey.Decode(bytes);
        var same = Ed25519PublicKey.Decode(bytes);
        Assert.Equal(bytes, key.Bytes.ToArray());
        Assert.True(key.Equals((object)same));
        Assert.Equal(key.GetHashCode(), same.GetHashCode());
        Assert.False(key.Equals(Ed25519PublicKey.Decode(TestBytes.FlipBit(bytes, 9))));
        Assert.False(key.Equals((Ed25519PublicKey?)null));
        Assert.Equal($"Ed25519PublicKey({Convert.ToHexStringLower(bytes)})", key.ToString());
    }

    private static byte[] Sign(Ed25519PrivateKey key, byte[] message)
    {
        var signature = new byte[Ed25519.SignatureSizeInBytes];
        Ed25519.Sign(key, message, signature);
        return signature;
    }
}
