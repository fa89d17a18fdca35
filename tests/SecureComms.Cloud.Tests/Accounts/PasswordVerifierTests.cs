using SecureComms.Crypto;
using SecureComms.Server.Accounts;

namespace SecureComms.Cloud.Tests.Accounts;

public sealed class PasswordVerifierTests
{
    /// <summary>Fast parameters for tests only (8 MiB, one pass); production uses <see cref="PasswordVerifier.DefaultParameters"/>.</summary>
    internal static readonly Argon2idParameters Fast = new("test-fast", 8 * 1024, 1);

    private readonly PasswordVerifier _verifier = new(Fast);

    [Fact]
    public void The_production_default_is_a_named_set()
    {
        Assert.Same(Argon2idParameters.OwaspMinimum, PasswordVerifier.DefaultParameters);
        Assert.Same(Argon2idParameters.OwaspMinimum, new PasswordVerifier().Parameters);
    }

    [Fact]
    public void A_verifier_records_its_parameters_salt_and_hash_in_the_phc_format_and_matches_Argon2id()
    {
        string verifier = _verifier.Hash("correct horse battery staple");
        string[] parts = verifier.Split('$');
        Assert.Equal(["", "argon2id", "v=19", "m=8192,t=1,p=1"], parts[..4]);
        byte[] salt = Convert.FromBase64String(parts[4] + "==");
        byte[] hash = Convert.FromBase64String(parts[5] + "=");
        Assert.Equal(Argon2id.SaltSizeInBytes, salt.Length);
        Assert.Equal(PasswordVerifier.HashSizeInBytes, hash.Length);

        byte[] expected = new byte[32];
        Argon2id.DeriveBytes("correct horse battery staple"u8, salt, Fast, expected);
        Assert.Equal(expected, hash);
    }

    [Fact]
    public void The_right_password_verifies_and_others_do_not()
    {
        string verifier = _verifier.Hash("correct horse battery staple");
        Assert.True(_verifier.Verify("correct horse battery staple", verifier, out bool needsRehash));
        Assert.False(needsRehash);
        Assert.False(_verifier.Verify("correct horse battery stapl", verifier, out _));
        Assert.False(_verifier.Verify("Correct horse battery staple", verifier, out _));
        Assert.False(_verifier.Verify("", verifier, out _));
    }

    [Fact]
    public void Every_verifier_gets_its_own_salt()
    {
        Assert.NotEqual(_verifier.Hash("same password here"), _verifier.Hash("same password here"));
    }

    [Fact]
    public void A_verifier_made_with_other_parameters_still_verifies_and_asks_for_a_rehash()
    {
        var stronger = new PasswordVerifier(new Argon2idParameters("test-stronger", 9 * 1024, 2));
        string old = _verifier.Hash("correct horse battery staple");
        Assert.True(stronger.Verify("correct horse battery staple", old, out bool needsRehash));
        Assert.True(needsRehash);
        Assert.False(stronger.Verify("wrong password entirely", old, out needsRehash));
        Assert.False(needsRehash);
    }

    [Fact]
    public void Every_hash_verify_and_dummy_costs_one_derivation()
    {
        long start = _verifier.Derivations; // the constructor made the dummy verifier
        Assert.Equal(1, start);
        string verifier = _verifier.Hash("correct horse battery staple");
        Assert.Equal(start + 1, _verifier.Derivations);
        _verifier.Verify("wrong", verifier, out _);
        Assert.Equal(start + 2, _verifier.Derivations);
        _verifier.VerifyDummy("anything");
        _verifier.VerifyDummy(null);
        Assert.Equal(start + 4, _verifier.Derivations);
    }

    [Fact]
    public void Passwords_that_are_not_valid_utf16_cannot_be_set_and_never_verify()
    {
        Assert.Throws<ArgumentException>(() => _verifier.Hash("abc\uD800def"));
        string verifier = _verifier.Hash("abc\uFFFDdef"); // what a lossy encoder would turn the lone surrogate into
        long before = _verifier.Derivations;
        Assert.False(_verifier.Verify("abc\uD800def", verifier, out _));
        Assert.Equal(before + 1, _verifier.Derivations); // still the same work
    }

    [Theory]
    [InlineData("")]
    [InlineData("$argon2i$v=19$m=8192,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$argon2id$v=16$m=8192,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$argon2id$v=19$m=8192,t=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$argon2id$v=19$m=+8192,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$argon2id$v=19$m=4,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$argon2id$v=19$m=8192,t=1,p=1$AAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$argon2id$v=19$m=8192,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$argon2id$v=19$m=8192,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA")]
    [InlineData("$argon2id$v=19$m=8192,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA$")]
    public void A_malformed_stored_verifier_is_loud(string verifier)
    {
        Assert.ThrowsAny<FormatException>(() => _verifier.Verify("password", verifier, out _));
    }
}
