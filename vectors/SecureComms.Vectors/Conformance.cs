using SecureComms.Vectors.Suites;

namespace SecureComms.Vectors;

/// <summary>Every vector source the project knows, and a per-source summary of a run.</summary>
public static class Conformance
{
    /// <summary>All suites, in report order. Later issues add their sources here.</summary>
    public static IReadOnlyList<VectorSuite> Suites { get; } =
    [
        new WycheproofX25519(),
        new WycheproofAesGcm(),
        new WycheproofHkdfSha256(),
        new WycheproofHmacSha256(),
        new WycheproofEd25519(),
        new Rfc7748(),
        new Rfc8032(),
        new Rfc5869(),
        new Rfc4231(),
        new GcmSpec(),
        new Rfc9106(),
        new Rfc5769(),
        new NistSp80038a(),
        new SignalKat(),
        new NoiseSuite("cacophony"),
        new NoiseSuite("snow"),
    ];

    /// <summary>The suite named <paramref name="source"/>.</summary>
    public static VectorSuite Suite(string source) =>
        Suites.FirstOrDefault(s => s.Source == source) ?? throw new KeyNotFoundException($"no vector source '{source}'");

    /// <summary>Runs one suite and summarises it.</summary>
    public static SourceReport Run(VectorSuite suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return new SourceReport(suite.Source, [.. suite.RunAll()]);
    }
}

/// <summary>One source's results: counts, and the results that are not passes.</summary>
public sealed record SourceReport(string Source, IReadOnlyList<CaseResult> Results)
{
    /// <summary>Number of cases.</summary>
    public int Cases => Results.Count;

    /// <summary>Cases passed.</summary>
    public int Passed => Results.Count(r => r.Outcome == Outcome.Passed);

    /// <summary>Cases failed.</summary>
    public int Failed => Results.Count(r => r.Outcome == Outcome.Failed);

    /// <summary>Cases skipped (each with its reason).</summary>
    public int Skipped => Results.Count(r => r.Outcome == Outcome.Skipped);
}
