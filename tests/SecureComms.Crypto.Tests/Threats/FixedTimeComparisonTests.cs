using System.Text.RegularExpressions;

namespace SecureComms.Crypto.Tests.Threats;

/// <summary>
/// THREATMODEL T3, timing: MACs, tags, keys and verifiers are compared only in fixed time. Timing
/// measurements are too noisy for CI, so this holds the code to the rule instead: no early-exit comparison
/// (<c>SequenceEqual</c>, <c>StartsWith</c>, <c>EndsWith</c>) appears in crypto/, protocol/, server/ or client/ except on
/// public data, marked as such.
/// </summary>
public sealed class FixedTimeComparisonTests
{
    private static readonly Regex EarlyExitComparison = new(@"\.SequenceEqual\(|\bStartsWith\(|\bEndsWith\(");

    [Theory]
    [InlineData("crypto")]
    [InlineData("protocol")]
    [InlineData("server")]
    [InlineData("client")]
    public void Sources_use_no_early_exit_comparison_except_on_public_data(string layer)
    {
        string layerDir = Path.Combine(RepositoryPaths.Root, layer);
        Assert.True(Directory.EnumerateFiles(layerDir, "*.cs", SearchOption.AllDirectories).Any());
        var offenders = Directory.EnumerateFiles(layerDir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (f, i, line)))
            .Where(x => EarlyExitComparison.IsMatch(x.line) && !x.line.Contains("// public data", StringComparison.Ordinal))
            .Select(x => $"{Path.GetFileName(x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.Empty(offenders);
    }
}
