namespace SecureComms.Crypto.Tests.Contracts;

/// <summary>
/// <see cref="Argon2idParameters"/>: every bound at the boundary and one past it (RFC 9106 §3.1: m ≥ 8p),
/// and the named sets with their documented values (libsodium crypto_pwhash limits, OWASP minimum).
/// </summary>
public sealed class Argon2idParametersContractTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(16)]
    public void Memory_must_be_at_least_8_KiB_per_lane(int lanes)
    {
        Assert.Throws<ArgumentOutOfRangeException>("memoryKiB", () => new Argon2idParameters("m", 8 * lanes - 1, 1, lanes));
        Assert.Equal(8 * lanes, new Argon2idParameters("m", 8 * lanes, 1, lanes).MemoryKiB);
    }

    [Fact]
    public void Memory_is_at_most_4_GiB()
    {
        Assert.Equal(4 * 1024 * 1024, Argon2idParameters.MaxMemoryKiB);
        Assert.Equal(Argon2idParameters.MaxMemoryKiB, new Argon2idParameters("m", Argon2idParameters.MaxMemoryKiB, 1).MemoryKiB);
        Assert.Throws<ArgumentOutOfRangeException>("memoryKiB", () => new Argon2idParameters("m", Argon2idParameters.MaxMemoryKiB + 1, 1));
    }

    [Fact]
    public void Passes_are_1_to_64()
    {
        Assert.Throws<ArgumentOutOfRangeException>("passes", () => new Argon2idParameters("t", 8, 0));
        Assert.Throws<ArgumentOutOfRangeException>("passes", () => new Argon2idParameters("t", 8, 65));
        Assert.Equal(1, new Argon2idParameters("t", 8, 1).Passes);
        Assert.Equal(64, new Argon2idParameters("t", 8, Argon2idParameters.MaxPasses).Passes);
    }

    [Fact]
    public void Lanes_are_1_to_16()
    {
        Assert.Throws<ArgumentOutOfRangeException>("parallelism", () => new Argon2idParameters("p", 1024, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>("parallelism", () => new Argon2idParameters("p", 1024, 1, 17));
        Assert.Equal(1, new Argon2idParameters("p", 1024, 1).Parallelism);
        Assert.Equal(16, new Argon2idParameters("p", 1024, 1, Argon2idParameters.MaxParallelism).Parallelism);
    }

    [Fact]
    public void A_name_is_required()
    {
        Assert.Throws<ArgumentNullException>("name", () => new Argon2idParameters(null!, 8, 1));
        ContractAssert.ThrowsArgument("name", () => new Argon2idParameters("", 8, 1));
        ContractAssert.ThrowsArgument("name", () => new Argon2idParameters(" \t", 8, 1));
        Assert.Equal("x", new Argon2idParameters("x", 8, 1).Name);
    }

    [Fact]
    public void The_bound_constants_have_their_documented_values()
    {
        Assert.Equal(8, Argon2idParameters.MinMemoryKiB);
        Assert.Equal(64, Argon2idParameters.MaxPasses);
        Assert.Equal(16, Argon2idParameters.MaxParallelism);
    }

    [Theory]
    [InlineData("interactive", 64 * 1024, 2)]
    [InlineData("moderate", 256 * 1024, 3)]
    [InlineData("sensitive", 1024 * 1024, 4)]
    [InlineData("owasp-minimum", 19 * 1024, 2)]
    public void The_named_sets_have_their_documented_values(string name, int memoryKiB, int passes)
    {
        var set = name switch
        {
            "interactive" => Argon2idParameters.Interactive,
            "moderate" => Argon2idParameters.Moderate,
            "sensitive" => Argon2idParameters.Sensitive,
            _ => Argon2idParameters.OwaspMinimum,
        };
        Assert.Equal(new Argon2idParameters(name, memoryKiB, passes, 1), set);
    }
}
