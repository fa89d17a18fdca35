using BenchmarkDotNet.Running;

namespace SecureComms.Bench;

/// <summary>
/// Entry point: runs the benchmarks chosen on the command line (BenchmarkDotNet's own options, for example
/// <c>--filter '*' --job short</c>) with <see cref="BenchConfig"/>. scripts/bench is the usual way in.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new BenchConfig());
        // Non-zero when any benchmark failed to build or run, so scripts/bench stops instead of comparing nothing.
        return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success))
            ? 1
            : 0;
    }
}
