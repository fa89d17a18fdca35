using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;

namespace SecureComms.Bench;

/// <summary>
/// The one configuration every benchmark runs with: BenchmarkDotNet's default loggers, columns, analysers
/// and validators, plus allocation per operation (<see cref="MemoryDiagnoser"/>), throughput
/// (<see cref="ThroughputColumn"/>) and the two exports scripts/bench reads: GitHub markdown for people,
/// brief JSON (statistics and allocation, no raw measurements) for the comparison with OpenSSL.
/// </summary>
/// <remarks>
/// No job is fixed here: the command line chooses it (<c>--job short</c> in scripts/bench; BenchmarkDotNet's
/// default job, longer and steadier, when none is given). Each benchmark class gets its own table and JSON
/// file, so that a table shows only the parameters its class has.
/// </remarks>
internal sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        var defaults = DefaultConfig.Instance;
        AddLogger(defaults.GetLoggers().ToArray());
        AddColumnProvider(defaults.GetColumnProviders().ToArray());
        AddAnalyser(defaults.GetAnalysers().ToArray());
        AddValidator(defaults.GetValidators().ToArray());

        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, new ThroughputColumn());
        AddExporter(MarkdownExporter.GitHub, JsonExporter.Brief);
    }
}
