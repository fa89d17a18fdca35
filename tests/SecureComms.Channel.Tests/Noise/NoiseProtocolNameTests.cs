using FsCheck;
using FsCheck.Fluent;
using SecureComms.Channel.Noise;

namespace SecureComms.Channel.Tests.Noise;

/// <summary>§8 protocol names: the suite is checked, malformed names are typed errors, parsing is total.</summary>
public sealed class NoiseProtocolNameTests
{
    [Theory]
    [InlineData("Noise_XX_25519_AESGCM_SHA256", "XX")]
    [InlineData("Noise_XXpsk3_25519_AESGCM_SHA256", "XXpsk3")]
    [InlineData("Noise_XXpsk0+psk1+psk2+psk3_25519_AESGCM_SHA256", "XXpsk0+psk1+psk2+psk3")]
    [InlineData("Noise_I1K1_25519_AESGCM_SHA256", "I1K1")]
    public void ParsesOurSuite(string name, string pattern)
    {
        var protocol = NoiseProtocolName.Parse(name);
        Assert.Equal(pattern, protocol.Pattern.Name);
        Assert.Equal(name, protocol.ToString());
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(name), protocol.ToBytes());
    }

    [Theory]
    [InlineData("Noise_XX_25519_ChaChaPoly_SHA256")]
    [InlineData("Noise_XX_448_AESGCM_SHA256")]
    [InlineData("Noise_XX_25519_AESGCM_BLAKE2s")]
    [InlineData("Noise_XX_25519_AESGCM_SHA256+SHA512")]
    public void OtherSuitesAreUnsupported(string name) =>
        Assert.Equal(NoiseError.UnsupportedSuite, Assert.Throws<NoiseException>(() => NoiseProtocolName.Parse(name)).Reason);

    [Theory]
    [InlineData("")]
    [InlineData("Noise_")]
    [InlineData("noise_XX_25519_AESGCM_SHA256")]
    [InlineData("Noise_XX_25519_AESGCM")]
    [InlineData("Noise_XX_25519_AESGCM_SHA256_")]
    [InlineData("Noise_ZZ_25519_AESGCM_SHA256")]
    [InlineData("Noise_xx_25519_AESGCM_SHA256")]
    [InlineData("Noise_XX+psk0_25519_AESGCM_SHA256")]
    [InlineData("Noise_XXpsk0+_25519_AESGCM_SHA256")]
    [InlineData("Noise_XX-psk0_25519_AESGCM_SHA256")]
    [InlineData("Noise_XX\u00e9_25519_AESGCM_SHA256")]
    public void MalformedNamesAreInvalid(string name) =>
        Assert.Equal(NoiseError.InvalidProtocolName, Assert.Throws<NoiseException>(() => NoiseProtocolName.Parse(name)).Reason);

    [Fact]
    public void NameOver255CharactersIsInvalid() =>
        Assert.Equal(NoiseError.InvalidProtocolName,
            Assert.Throws<NoiseException>(() => NoiseProtocolName.Parse("Noise_XX" + new string('1', 230) + "_25519_AESGCM_SHA256")).Reason);

    /// <summary>Any string (and any mutation of a good name) either parses or is a NoiseException.</summary>
    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property ParsingIsTotal(NonNull<string> text, byte position, char replacement)
    {
        string good = "Noise_XXpsk3_25519_AESGCM_SHA256";
        char[] mutated = good.ToCharArray();
        mutated[position % mutated.Length] = replacement;
        bool Total(string s) => NoiseProtocolName.TryParse(s, out var p, out _) == (p is not null);
        return (Total(text.Get) && Total(new string(mutated))).ToProperty();
    }
}
