using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SecureComms.Bench;

/// <summary>
/// Throughput in the unit <c>openssl speed</c> prints, from the median time per operation: bytes per second
/// for benchmarks with a <c>Size</c> parameter (payload bytes, as OpenSSL counts them), operations per second
/// for the others.
/// </summary>
/// <remarks>
/// The median, not the mean, so that one iteration slowed by another process on the machine moves the figure
/// less; scripts/bench reads the same statistic from the JSON export.
/// </remarks>
internal sealed class ThroughputColumn : IColumn
{
    /// <summary>Name of the benchmark parameter that carries the payload size in bytes.</summary>
    internal const string SizeParameterName = "Size";

    private const double NanosecondsPerSecond = 1e9;

    public string Id => nameof(ThroughputColumn);

    public string ColumnName => "Throughput";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Payload bytes per second (AEAD) or operations per second (others), from the median";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? medianNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Median;
        if (medianNanoseconds is not > 0)
        {
            return "NA";
        }
        double perSecond = NanosecondsPerSecond / medianNanoseconds.Value;
        object? size = benchmarkCase.Parameters.Items
            .FirstOrDefault(parameter => parameter.Name == SizeParameterName)?.Value;
        return size is int bytes
            ? $"{perSecond * bytes / 1e6:N1} MB/s"
            : $"{perSecond:N0} op/s";
    }

    public override string ToString() => ColumnName;
}
