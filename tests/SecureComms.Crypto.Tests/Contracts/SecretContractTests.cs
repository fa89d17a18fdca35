using System.Diagnostics;
using System.Reflection;

namespace SecureComms.Crypto.Tests.Contracts;

/// <summary>
/// STYLE.md §7 and §10 over every secret-holding type (<see cref="SecretKinds"/>): exact-length import,
/// export only when asked for, use after dispose refused, dispose wipes, and no byte ever reaches a string.
/// </summary>
public sealed class SecretContractTests
{
    public static TheoryData<string> Kinds => SecretKinds.Names;
    public static TheoryData<string> ExportableKinds => SecretKinds.ExportableNames;
    public static TheoryData<string> ViewableKinds => SecretKinds.ViewableNames;

    [Theory, MemberData(nameof(Kinds))]
    public void Import_accepts_exactly_the_secret_size(string name)
    {
        var kind = SecretKinds.Get(name);
        foreach (int length in new[] { 0, kind.SizeInBytes - 1, kind.SizeInBytes + 1 })
        {
            ContractAssert.ThrowsArgument(kind.ImportParameter, () => kind.Import(new byte[length], false), $"{kind.SizeInBytes}");
        }
        using var secret = kind.Import(TestBytes.Seeded(kind.SizeInBytes, 1), false);
        kind.Use(secret);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Use_after_dispose_throws_ObjectDisposedException(string name)
    {
        var kind = SecretKinds.Get(name);
        var secret = kind.Import(TestBytes.Seeded(kind.SizeInBytes, 2), true);
        kind.Use(secret);
        secret.Dispose();
        Assert.Throws<ObjectDisposedException>(() => kind.Use(secret));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Dispose_is_idempotent(string name)
    {
        var kind = SecretKinds.Get(name);
        var secret = kind.Import(TestBytes.Seeded(kind.SizeInBytes, 3), true);
        secret.Dispose();
        secret.Dispose();
        Assert.Throws<ObjectDisposedException>(() => kind.Use(secret));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void ToString_and_DebuggerDisplay_show_no_key_byte(string name)
    {
        var kind = SecretKinds.Get(name);
        byte[] bytes = TestBytes.Seeded(kind.SizeInBytes, 4);
        using var secret = kind.Import(bytes, true);
        string text = secret.ToString()!;
        ContractAssert.DoesNotReveal(text, bytes);
        Assert.DoesNotContain(Convert.ToHexStringLower(bytes.AsSpan(0, 4)), text, StringComparison.Ordinal);
        // The debugger shows DebuggerDisplay when present, else the ToString override: either way ToString.
        var display = secret.GetType().GetCustomAttribute<DebuggerDisplayAttribute>(inherit: true);
        Assert.Equal("{ToString(),nq}", display?.Value ?? "{ToString(),nq}");
        Assert.NotEqual(typeof(object), secret.GetType().GetMethod(nameof(ToString), Type.EmptyTypes)!.DeclaringType);
    }

    [Theory, MemberData(nameof(ExportableKinds))]
    public void Export_returns_the_imported_bytes_and_import_copies_them(string name)
    {
        var kind = SecretKinds.Get(name);
        byte[] bytes = TestBytes.Seeded(kind.SizeInBytes, 5);
        byte[] original = [.. bytes];
        using var secret = kind.Import(bytes, true);
        bytes.AsSpan().Clear();
        var exported = new byte[kind.SizeInBytes];
        kind.Export!(secret, exported);
        Assert.Equal(original, exported);
    }

    [Theory, MemberData(nameof(ExportableKinds))]
    public void Export_of_a_secret_not_created_exportable_throws_InvalidOperation(string name)
    {
        var kind = SecretKinds.Get(name);
        byte[] bytes = TestBytes.Seeded(kind.SizeInBytes, 6);
        using var secret = kind.Import(bytes, false);
        var destination = TestBytes.Poisoned(kind.SizeInBytes);
        var e = Assert.Throws<InvalidOperationException>(() => kind.Export!(secret, destination));
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
        ContractAssert.DoesNotReveal(e.Message, bytes);
        Assert.All(destination, b => Assert.Equal(TestBytes.Poison, b));
    }

    [Theory, MemberData(nameof(ExportableKinds))]
    public void Export_to_a_destination_of_the_wrong_length_throws_naming_destination(string name)
    {
        var kind = SecretKinds.Get(name);
        byte[] bytes = TestBytes.Seeded(kind.SizeInBytes, 7);
        using var secret = kind.Import(bytes, true);
        foreach (int length in new[] { 0, kind.SizeInBytes - 1, kind.SizeInBytes + 1 })
        {
            var e = ContractAssert.ThrowsArgument("destination", () => kind.Export!(secret, new byte[length]), $"{kind.SizeInBytes}");
            ContractAssert.DoesNotReveal(e.Message, bytes);
        }
    }

    [Theory, MemberData(nameof(ExportableKinds))]
    public void Export_after_dispose_throws_ObjectDisposedException(string name)
    {
        var kind = SecretKinds.Get(name);
        var secret = kind.Import(TestBytes.Seeded(kind.SizeInBytes, 8), true);
        secret.Dispose();
        Assert.Throws<ObjectDisposedException>(() => kind.Export!(secret, new byte[kind.SizeInBytes]));
    }

    [Theory, MemberData(nameof(ViewableKinds))]
    public void Dispose_wipes_the_stored_bytes(string name)
    {
        var kind = SecretKinds.Get(name);
        byte[] bytes = TestBytes.Seeded(kind.SizeInBytes, 9);
        var secret = kind.Import(bytes, false);
        ReadOnlySpan<byte> storage = kind.View!(secret);
        Assert.True(storage.SequenceEqual(bytes));
        secret.Dispose();
        ContractAssert.AllZero(storage);
        Assert.True(((Secret)secret).IsDisposed);
    }

    [Fact]
    public void A_container_of_negative_length_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RandomSecret(-1));
        Assert.Equal("length", e.ParamName);
        Assert.Equal(0, new RandomSecret(0).Length);
        Assert.Equal(48, new RandomSecret(48).Length);
    }

    /// <summary>A derived type that uses the random-filling constructor with any length.</summary>
    private sealed class RandomSecret(int length) : Secret(length, exportable: false);
}
