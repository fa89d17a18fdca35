using System.Text.RegularExpressions;

namespace SecureComms.Crypto.Tests.Threats;

/// <summary>
/// THREATMODEL T3, timing: MACs, tags, keys and verifiers are compared only in fixed time. Timing
/// measurements are too noisy for CI, so this holds the code to the rule instead: no early-exit comparison
/// (<c>SequenceEqual</c>, <c>StartsWith</c>, <c>EndsWith</c>) appears in crypto/ except on public data, marked as such.
/// </summary>
public sealed class FixedTimeComparisonTests
{
    private static readonly Regex EarlyExitComparison = new(@"\.SequenceEqual\(|\bStartsWith\(|\bEndsWith\(");

    [Fact]
    public void Crypto_sources_use_no_early_exit_comparison_except_on_public_data()
    {
        string cryptoDir = Path.Combine(RepositoryPaths.Root, "crypto", "SecureComms.Crypto");
        var offenders = Directory.EnumerateFiles(cryptoDir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (f, i, line)))
            .Where(x => EarlyExitComparison.IsMatch(x.line) && !x.line.Contains("// public data", StringComparison.Ordinal))
            .Select(x => $"{Path.GetFileName(x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.Empty(offenders);
    }
}
