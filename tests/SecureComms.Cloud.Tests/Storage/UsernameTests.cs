using SecureComms.Server.Storage;

namespace SecureComms.Cloud.Tests.Storage;

public sealed class UsernameTests
{
    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("Alice", "alice")]
    [InlineData("ALICE.Smith_2-x", "alice.smith_2-x")]
    [InlineData("a1b", "a1b")]
    [InlineData("0123456789abcdefghij0123456789ab", "0123456789abcdefghij0123456789ab")] // 32
    public void Accepted_names_fold_ascii_capitals_and_nothing_else(string input, string expected)
    {
        Assert.True(Username.TryNormalize(input, out string? normalized));
        Assert.Equal(expected, normalized);
        Assert.True(Username.IsNormalized(normalized));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ab")] // too short
    [InlineData("0123456789abcdefghij0123456789abc")] // 33
    [InlineData(" alice")] // no trimming
    [InlineData("alice ")]
    [InlineData("al ice")]
    [InlineData(".alice")] // must start with a letter or digit
    [InlineData("alice-")] // … and end with one
    [InlineData("al@ice")]
    [InlineData("al/ice")]
    [InlineData("\u212Aelvin")] // KELVIN SIGN: lowercases to 'k' under full Unicode rules; refused
    [InlineData("\uFF21lice")] // FULLWIDTH A: NFKC folds to 'A'; refused
    [InlineData("ali\u0301ce")] // combining accent
    [InlineData("alıce")] // dotless i
    public void Refused_names(string? input)
    {
        Assert.False(Username.TryNormalize(input, out string? normalized));
        Assert.Null(normalized);
    }

    [Fact]
    public void The_store_refuses_names_that_are_not_normalized()
    {
        Assert.False(Username.IsNormalized("Alice"));
        Assert.True(Username.IsNormalized("alice"));
    }
}
