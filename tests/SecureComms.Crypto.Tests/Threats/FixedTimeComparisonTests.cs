using System.Text.RegularExpressions;

namespace SecureComms.Crypto.Tests.Threats;

/// <summary>
/// THREATMODEL T3, timing: MACs, tags, keys and verifiers are compared only in fixed time. Timing
/// measurements are too noisy for CI, so this holds the code to the rule instead: no early-exit comparison
/// (<c>SequenceEqual</c>, <c>==</c> on spans) appears in crypto/ except on public data, marked as such.
/// </summary>
public sealed class FixedTimeComparisonTests
{
    private static readonly Regex EarlyExitComparison = new(@"\.SequenceEqual\(|\bStartsWith\(|\bEndsWith\(");

    [Fact]
    public void Crypto_sources_use_no_early_exit_comparison_except_on_public_data()
    {
        string cryptoDir = Path.Combine(RepositoryRoot(), "crypto", "SecureComms.Crypto");
        var offenders = Directory.EnumerateFiles(cryptoDir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (f, i, line)))
            .Where(x => EarlyExitComparison.IsMatch(x.line) && !x.line.Contains("// public data", StringComparison.Ordinal))
            .Select(x => $"{Path.GetFileName(x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void FixedTime_equals_compares_every_byte_and_the_length()
    {
        Assert.True(FixedTime.Equals([1, 2, 3], [1, 2, 3]));
        Assert.False(FixedTime.Equals([1, 2, 3], [1, 2, 4]));
        Assert.False(FixedTime.Equals([0, 2, 3], [1, 2, 3]));
        Assert.False(FixedTime.Equals([1, 2, 3], [1, 2]));
        Assert.True(FixedTime.IsAllZero(new byte[32]));
        Assert.False(FixedTime.IsAllZero([0, 0, 0, 0x80]));
        Assert.False(FixedTime.IsAllZero([1, 0, 0, 0]));
        Assert.False(FixedTime.IsAllZero([1, 1])); // an XOR accumulator would cancel these out
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SecureComms.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repository root (SecureComms.sln) not found");
    }
}
