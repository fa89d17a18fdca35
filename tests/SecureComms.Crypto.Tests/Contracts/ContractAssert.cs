namespace SecureComms.Crypto.Tests.Contracts;

/// <summary>The assertions every contract suite makes: argument errors name the parameter and carry the
/// numbers (STYLE.md §4, §14), refused outputs are zeroed (§12), secrets stay out of strings (§10).</summary>
internal static class ContractAssert
{
    /// <summary>
    /// <paramref name="action"/> throws an <see cref="ArgumentException"/> (or a subclass) naming
    /// <paramref name="paramName"/>, and its message mentions every one of <paramref name="mentions"/>.
    /// </summary>
    public static ArgumentException ThrowsArgument(string paramName, Action action, params string[] mentions)
    {
        var e = Assert.ThrowsAny<ArgumentException>(action);
        Assert.Equal(paramName, e.ParamName);
        foreach (string mention in mentions)
        {
            Assert.Contains(mention, e.Message, StringComparison.Ordinal);
        }
        return e;
    }

    /// <summary>Every byte of <paramref name="value"/> is zero.</summary>
    public static void AllZero(ReadOnlySpan<byte> value) =>
        Assert.True(TestBytes.IsAllZero(value), $"expected all zero, got {Convert.ToHexStringLower(value)}");

    /// <summary><paramref name="text"/> holds <paramref name="secret"/> in no usual rendering.</summary>
    public static void DoesNotReveal(string text, ReadOnlySpan<byte> secret) =>
        Assert.False(TestBytes.Reveals(text, secret), $"'{text}' reveals the secret");
}
