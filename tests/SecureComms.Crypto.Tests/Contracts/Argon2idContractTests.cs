using Org.BouncyCastle.Crypto.Generators;
using BouncyCastleArgon2 = Org.BouncyCastle.Crypto.Parameters.Argon2Parameters;

namespace SecureComms.Crypto.Tests.Contracts;

/// <summary>
/// <see cref="Argon2id"/> (RFC 9106): argument checks, and each path (libsodium for one lane without K or X,
/// BouncyCastle otherwise) against BouncyCastle's generator driven directly here, so the two paths agree and
/// K, X and p are never silently dropped. Costs are tiny (8–64 KiB, 1–2 passes) to keep the suite fast;
/// the RFC 9106 §5.3 vector lives in <c>Rfc/</c>.
/// </summary>
public sealed class Argon2idContractTests
{
    private static readonly byte[] Password = "correct horse battery staple"u8.ToArray();
    private static readonly byte[] Salt = TestBytes.Seeded(16, 1);
    private static readonly Argon2idParameters Tiny = new("tiny", 8, 1);

    public static TheoryData<int, int, int> OneLaneCosts => new() { { 8, 1, 16 }, { 16, 2, 32 }, { 64, 1, 64 }, { 32, 2, 100 } };

    [Fact]
    public void DeriveBytes_checks_its_arguments()
    {
        ContractAssert.ThrowsArgument("parameters", () => Argon2id.DeriveBytes(Password, Salt, null!, new byte[32]));
        foreach (int length in new[] { 0, 8, 15, 17, 32 })
        {
            ContractAssert.ThrowsArgument("salt", () => Argon2id.DeriveBytes(Password, new byte[length], Tiny, new byte[32]), "16");
            // The BouncyCastle path (a secret given) would accept any salt: the wrapper's own check must hold.
            ContractAssert.ThrowsArgument("salt", () => Argon2id.DeriveBytes(Password, new byte[length], Tiny, new byte[32], secret: [1]), "16");
        }
        foreach (int length in new[] { 0, 15, 1025 })
        {
            ContractAssert.ThrowsArgument("output", () => Argon2id.DeriveBytes(Password, Salt, Tiny, new byte[length]), "16", "1024");
        }
        ContractAssert.ThrowsArgument("secret", () => Argon2id.DeriveBytes(Password, Salt, Tiny, new byte[32], secret: new byte[1025]), "1024");
        ContractAssert.ThrowsArgument("associatedData", () => Argon2id.DeriveBytes(Password, Salt, Tiny, new byte[32], associatedData: new byte[1025]), "1024");
    }

    [Fact]
    public void DeriveBytes_accepts_the_boundary_sizes()
    {
        Assert.Equal(16, Argon2id.SaltSizeInBytes);
        Assert.Equal(16, Argon2id.MinOutputSizeInBytes);
        Assert.Equal(1024, Argon2id.MaxOutputSizeInBytes);
        Assert.Equal(1024, Argon2id.MaxSecretSizeInBytes);
        Assert.Equal(Reference(Password, Salt, Tiny, 16), Derive(Password, Salt, Tiny, 16));
        Assert.Equal(Reference(Password, Salt, Tiny, 1024), Derive(Password, Salt, Tiny, 1024));
        byte[] secret = TestBytes.Seeded(1024, 2);
        byte[] associatedData = TestBytes.Seeded(1024, 3);
        Assert.Equal(
            Reference(Password, Salt, Tiny, 32, secret, associatedData),
            Derive(Password, Salt, Tiny, 32, secret, associatedData));
    }

    [Theory, MemberData(nameof(OneLaneCosts))]
    public void The_libsodium_path_equals_BouncyCastle_for_one_lane(int memoryKiB, int passes, int outputLength)
    {
        var parameters = new Argon2idParameters("test", memoryKiB, passes);
        Assert.Equal(Reference(Password, Salt, parameters, outputLength), Derive(Password, Salt, parameters, outputLength));
        Assert.Equal(Reference([], Salt, parameters, outputLength), Derive([], Salt, parameters, outputLength));
    }

    [Theory]
    [InlineData(2, 16)]
    [InlineData(4, 64)]
    public void Several_lanes_are_honoured(int lanes, int memoryKiB)
    {
        var parameters = new Argon2idParameters("lanes", memoryKiB, 1, lanes);
        byte[] derived = Derive(Password, Salt, parameters, 32);
        Assert.Equal(Reference(Password, Salt, parameters, 32), derived);
        Assert.NotEqual(Derive(Password, Salt, new Argon2idParameters("one", memoryKiB, 1), 32), derived);
    }

    [Fact]
    public void A_secret_and_associated_data_are_honoured_each_on_its_own()
    {
        byte[] secret = TestBytes.Seeded(32, 4);
        byte[] associatedData = TestBytes.Seeded(12, 5);
        byte[] plain = Derive(Password, Salt, Tiny, 32);
        byte[] withSecret = Derive(Password, Salt, Tiny, 32, secret: secret);
        byte[] withData = Derive(Password, Salt, Tiny, 32, associatedData: associatedData);
        Assert.Equal(Reference(Password, Salt, Tiny, 32, secret: secret), withSecret);
        Assert.Equal(Reference(Password, Salt, Tiny, 32, associatedData: associatedData), withData);
        Assert.NotEqual(plain, withSecret);
        Assert.NotEqual(plain, withData);
        Assert.NotEqual(withSecret, withData);
    }

    [Fact]
    public void Every_input_changes_the_output()
    {
        byte[] baseline = Derive(Password, Salt, Tiny, 32);
        Assert.NotEqual(baseline, Derive(TestBytes.FlipBit(Password, 0), Salt, Tiny, 32));
        Assert.NotEqual(baseline, Derive(Password, TestBytes.FlipBit(Salt, 0), Tiny, 32));
        Assert.NotEqual(baseline, Derive(Password, Salt, new Argon2idParameters("tiny", 16, 1), 32));
        Assert.NotEqual(baseline, Derive(Password, Salt, new Argon2idParameters("tiny", 8, 2), 32));
    }

    [Fact]
    public void Verify_accepts_the_derived_bytes_and_nothing_else()
    {
        byte[] secret = TestBytes.Seeded(32, 6);
        byte[] verifier = Derive(Password, Salt, Tiny, 32);
        byte[] keyed = Derive(Password, Salt, Tiny, 32, secret: secret);
        Assert.True(Argon2id.Verify(Password, Salt, Tiny, verifier));
        Assert.True(Argon2id.Verify(Password, Salt, Tiny, keyed, secret: secret));
        Assert.False(Argon2id.Verify(Password, Salt, Tiny, keyed));
        Assert.False(Argon2id.Verify(TestBytes.FlipBit(Password, 3), Salt, Tiny, verifier));
        Assert.False(Argon2id.Verify(Password, Salt, Tiny, TestBytes.FlipBit(verifier, 255)));
        Assert.False(Argon2id.Verify(Password, Salt, Tiny, verifier[..31]));
    }

    [Fact]
    public void Verify_is_false_for_a_verifier_shorter_than_16_or_longer_than_1024_bytes()
    {
        byte[] longest = Derive(Password, Salt, Tiny, 1024);
        Assert.True(Argon2id.Verify(Password, Salt, Tiny, longest));
        Assert.True(Argon2id.Verify(Password, Salt, Tiny, Derive(Password, Salt, Tiny, 16)));
        Assert.False(Argon2id.Verify(Password, Salt, Tiny, longest[..15]));
        Assert.False(Argon2id.Verify(Password, Salt, Tiny, [.. longest, 0]));
        Assert.False(Argon2id.Verify(Password, Salt, Tiny, []));
    }

    [Fact]
    public void Verify_refuses_null_parameters_even_for_a_verifier_of_the_wrong_length()
    {
        Assert.Throws<ArgumentNullException>("parameters", () => Argon2id.Verify(Password, Salt, null!, new byte[4]));
        Assert.Throws<ArgumentNullException>("parameters", () => Argon2id.Verify(Password, Salt, null!, new byte[32]));
    }

    private static byte[] Derive(byte[] password, byte[] salt, Argon2idParameters parameters, int length, byte[]? secret = null, byte[]? associatedData = null)
    {
        var output = new byte[length];
        Argon2id.DeriveBytes(password, salt, parameters, output, secret, associatedData);
        return output;
    }

    /// <summary>RFC 9106 Argon2id v0x13 from BouncyCastle's generator, configured here.</summary>
    private static byte[] Reference(byte[] password, byte[] salt, Argon2idParameters parameters, int length, byte[]? secret = null, byte[]? associatedData = null)
    {
        var builder = new BouncyCastleArgon2.Builder(BouncyCastleArgon2.Argon2id)
            .WithVersion(BouncyCastleArgon2.Version13)
            .WithMemoryAsKB(parameters.MemoryKiB)
            .WithIterations(parameters.Passes)
            .WithParallelism(parameters.Parallelism)
            .WithSalt(salt)
            .WithSecret(secret ?? [])
            .WithAdditional(associatedData ?? []);
        var generator = new Argon2BytesGenerator();
        generator.Init(builder.Build());
        var output = new byte[length];
        generator.GenerateBytes(password, output);
        return output;
    }
}
