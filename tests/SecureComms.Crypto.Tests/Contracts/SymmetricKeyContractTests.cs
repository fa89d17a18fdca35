namespace SecureComms.Crypto.Tests.Contracts;

/// <summary>
/// <see cref="SymmetricKey"/> and the <see cref="Secret"/> base it shares with <see cref="X25519PrivateKey"/>:
/// generation, the exportable flag, and <see cref="Secret.FixedTimeEquals"/> (same type and same bytes only).
/// The import/export/dispose/display contracts run over every secret type in <see cref="SecretContractTests"/>.
/// </summary>
public sealed class SymmetricKeyContractTests
{
    [Fact]
    public void Generate_gives_distinct_keys_of_256_bits_not_exportable_by_default()
    {
        using var first = SymmetricKey.Generate(exportable: true);
        using var second = SymmetricKey.Generate(exportable: true);
        using var hidden = SymmetricKey.Generate();
        Assert.Equal(32, SymmetricKey.SizeInBytes);
        Assert.Equal(SymmetricKey.SizeInBytes, first.Length);
        Assert.True(first.IsExportable);
        Assert.False(hidden.IsExportable);
        Assert.False(first.IsDisposed);
        Assert.False(first.FixedTimeEquals(second));
        var bytes = new byte[SymmetricKey.SizeInBytes];
        first.Export(bytes);
        Assert.False(TestBytes.IsAllZero(bytes));
    }

    [Fact]
    public void Import_honours_the_exportable_flag()
    {
        using var exportable = SymmetricKey.Import(TestBytes.Seeded(32, 1), exportable: true);
        using var hidden = SymmetricKey.Import(TestBytes.Seeded(32, 1));
        Assert.True(exportable.IsExportable);
        Assert.False(hidden.IsExportable);
    }

    [Fact]
    public void FixedTimeEquals_is_true_for_the_same_type_and_bytes()
    {
        using var left = SymmetricKey.Import(TestBytes.Seeded(32, 2));
        using var right = SymmetricKey.Import(TestBytes.Seeded(32, 2));
        Assert.True(left.FixedTimeEquals(right));
        Assert.True(right.FixedTimeEquals(left));
        Assert.True(left.FixedTimeEquals(left));
    }

    [Fact]
    public void FixedTimeEquals_is_false_when_any_byte_differs()
    {
        byte[] bytes = TestBytes.Seeded(32, 3);
        using var left = SymmetricKey.Import(bytes);
        foreach (int bit in new[] { 0, 7, 128, 255 })
        {
            using var right = SymmetricKey.Import(TestBytes.FlipBit(bytes, bit));
            Assert.False(left.FixedTimeEquals(right));
        }
    }

    [Fact]
    public void FixedTimeEquals_is_false_across_secret_types_with_the_same_bytes()
    {
        byte[] bytes = TestBytes.Seeded(32, 4);
        using var symmetric = SymmetricKey.Import(bytes);
        using var x25519 = X25519PrivateKey.Import(bytes);
        Assert.False(symmetric.FixedTimeEquals(x25519));
        Assert.False(x25519.FixedTimeEquals(symmetric));
    }

    [Fact]
    public void FixedTimeEquals_refuses_null_and_disposed_secrets()
    {
        using var key = SymmetricKey.Import(TestBytes.Seeded(32, 5));
        var disposed = SymmetricKey.Import(TestBytes.Seeded(32, 5));
        disposed.Dispose();
        ContractAssert.ThrowsArgument("other", () => key.FixedTimeEquals(null!));
        Assert.Throws<ObjectDisposedException>(() => key.FixedTimeEquals(disposed));
        Assert.Throws<ObjectDisposedException>(() => disposed.FixedTimeEquals(key));
    }

    [Fact]
    public void ToString_shows_type_and_length_only()
    {
        using var key = SymmetricKey.Import(TestBytes.Seeded(32, 6));
        Assert.Equal("SymmetricKey(32 bytes)", key.ToString());
    }
}
