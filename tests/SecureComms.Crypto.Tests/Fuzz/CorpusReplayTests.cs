using SecureComms.Fuzz;

namespace SecureComms.Crypto.Tests.Fuzz;

/// <summary>
/// Replays the committed fuzz corpus (STYLE.md §16): every file of <c>fuzz/corpus/TARGET/</c> through the
/// same <see cref="FuzzTargets"/> method that afl-fuzz drives, one test case per file, named
/// <c>TARGET/FILE</c>. Seeds, minimized campaign finds and the crashes that were real bugs (kept as
/// regression seeds) all live there.
/// </summary>
public sealed class CorpusReplayTests
{
    public static TheoryData<string> Seeds => FuzzCorpus.Seeds();

    /// <summary>The target returns normally: no stray exception, no oracle violated.</summary>
    [Theory, MemberData(nameof(Seeds))]
    public void Replay(string seed)
    {
        string target = seed[..seed.IndexOf('/')];
        Assert.True(FuzzTargets.All.TryGetValue(target, out var run), $"fuzz/corpus/{target}/ names no fuzz target");
        run(FuzzCorpus.Read(seed));
    }

    /// <summary>Every target has seeds, and every corpus folder is a target: none is fuzzed or replayed blind.</summary>
    [Fact]
    public void CorpusFoldersMatchTargets() =>
        Assert.Equal(FuzzTargets.All.Keys.Order(StringComparer.Ordinal), FuzzCorpus.TargetNames().Order(StringComparer.Ordinal));
}
