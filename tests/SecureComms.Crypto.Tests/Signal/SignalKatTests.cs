using SecureComms.Vectors.Suites;

namespace SecureComms.Crypto.Tests.Signal;

/// <summary>
/// libsignal / curve25519-java known answers (<c>signal/signal_kat.json</c>): every case the <see cref="SignalKat"/>
/// suite runs is one test case per case id. A case is skipped only for one of the suite's stated reasons, and the
/// facts below hold it to exactly that.
/// </summary>
public sealed class SignalKatTests
{
    /// <summary>The suite's stated skip reasons: nothing else may keep a case from running.</summary>
    private static readonly string[] StatedReasons = [SignalKat.UnclampedReason, SignalKat.HkdfV2Reason];

    public static TheoryData<string> Cases => VectorTheory.Ids(new SignalKat());

    [Theory, MemberData(nameof(Cases))]
    public void Kat(string id) => VectorTheory.AssertPasses(new SignalKat(), id);

    /// <summary>Every skipped case carries one of the suite's stated reasons.</summary>
    [Fact]
    public void SkipsOnlyForStatedReasons() =>
        Assert.All(VectorTheory.Skipped(new SignalKat()), result => Assert.Contains(result.Detail, StatedReasons));

    /// <summary>
    /// Exactly the three cases flagged <c>requires_unclamped_scalar</c> (curve25519-java's unclamped ladder) are
    /// skipped with <see cref="SignalKat.UnclampedReason"/>.
    /// </summary>
    [Fact]
    public void SkipsExactlyTheUnclampedCasesWithUnclampedReason()
    {
        var suite = new SignalKat();
        var flagged = suite.File.Cases.Where(c => c.Flag("requires_unclamped_scalar")).Select(c => c.Id).ToList();
        var skippedAsUnclamped = VectorTheory.Skipped(suite)
            .Where(r => r.Detail == SignalKat.UnclampedReason).Select(r => r.CaseId).ToList();
        Assert.Equal(3, flagged.Count);
        Assert.Equal(flagged, skippedAsUnclamped);
    }
}
