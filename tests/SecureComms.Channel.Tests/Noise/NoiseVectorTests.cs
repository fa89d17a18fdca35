using SecureComms.Vectors;
using SecureComms.Vectors.Suites;

namespace SecureComms.Channel.Tests.Noise;

/// <summary>
/// The published Noise vectors (cacophony and snow, <c>vectors/data/noise/</c>): one test case per
/// <c>25519_AESGCM_SHA256</c> vector, named by its protocol_name, run by <see cref="NoiseSuite"/> in both roles
/// (handshake ciphertexts byte for byte, payloads read back, handshake hash, transport messages). The facts hold the
/// suite to the count (110) and to skipping only other suites, for that reason.
/// </summary>
public sealed class NoiseVectorTests
{
    /// <summary>Vectors of our suite in cacophony.txt and snow.txt (counted with python3 over the files).</summary>
    private const int CacophonyCount = 59, SnowCount = 51;

    public static TheoryData<string> Cacophony => Runnable(new NoiseSuite("cacophony"));

    public static TheoryData<string> Snow => Runnable(new NoiseSuite("snow"));

    [Theory, MemberData(nameof(Cacophony))]
    public void CacophonyVector(string protocolName) => AssertPasses(new NoiseSuite("cacophony"), protocolName);

    [Theory, MemberData(nameof(Snow))]
    public void SnowVector(string protocolName) => AssertPasses(new NoiseSuite("snow"), protocolName);

    /// <summary>110 vectors run (59 + 51), and every other vector is skipped as another suite, never failed.</summary>
    [Fact]
    public void RunsExactlyTheSuitesVectorsAndSkipsTheRestWithTheReason()
    {
        var cacophony = Conformance.Run(new NoiseSuite("cacophony"));
        var snow = Conformance.Run(new NoiseSuite("snow"));
        Assert.Equal(CacophonyCount, cacophony.Passed);
        Assert.Equal(SnowCount, snow.Passed);
        Assert.Equal(110, cacophony.Passed + snow.Passed);
        Assert.Equal(0, cacophony.Failed + snow.Failed);
        Assert.Equal(944 - CacophonyCount, cacophony.Skipped);
        Assert.Equal(408 - SnowCount, snow.Skipped);
        Assert.All(cacophony.Results.Concat(snow.Results).Where(r => r.Outcome == Outcome.Skipped), r =>
        {
            Assert.Equal(NoiseSuite.OtherSuiteReason, r.Detail);
            Assert.DoesNotContain("_25519_AESGCM_SHA256", r.CaseId, StringComparison.Ordinal);
        });
    }

    /// <summary>The conformance command lists both sources under their names.</summary>
    [Fact]
    public void ConformanceRegistryHasBothSources()
    {
        Assert.Equal("noise/cacophony", Conformance.Suite("noise/cacophony").Source);
        Assert.Equal("noise/snow", Conformance.Suite("noise/snow").Source);
    }

    /// <summary>The vectors that carry a handshake hash (cacophony's) have it checked, not silently ignored.</summary>
    [Fact]
    public void CacophonyHandshakeHashesAreChecked()
    {
        var suite = new NoiseSuite("cacophony");
        var ours = suite.File.Cases.Where(c => c.Text("protocol_name").EndsWith("_25519_AESGCM_SHA256", StringComparison.Ordinal)).ToList();
        Assert.All(ours, c => Assert.True(c.Has("handshake_hash"), c.Id));
        Assert.All(ours, c => Assert.EndsWith("handshake hash", suite.Run(c.Id).Detail, StringComparison.Ordinal));
    }

    private static TheoryData<string> Runnable(VectorSuite suite) =>
        [.. suite.File.Cases.Select(c => c.Id).Where(id => id.EndsWith("_25519_AESGCM_SHA256", StringComparison.Ordinal))];

    private static void AssertPasses(VectorSuite suite, string id)
    {
        var result = suite.Run(id);
        Assert.True(result.Outcome == Outcome.Passed, result.ToString());
    }
}
