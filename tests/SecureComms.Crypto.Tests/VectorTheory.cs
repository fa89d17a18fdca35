using SecureComms.Vectors;

namespace SecureComms.Crypto.Tests;

/// <summary>
/// Glue between vector suites and xunit theories: one test case per vector id, so that a failure names its id.
/// Only the cases a suite runs become theory cases; the cases it skips are accounted for by a [Fact] in the
/// suite's test class (<see cref="Skipped"/>), never reported by xunit as passing tests.
/// </summary>
internal static class VectorTheory
{
    /// <summary>
    /// The ids of every case of <paramref name="suite"/> that it does not skip, as theory data. The suite alone
    /// decides what it skips, so the only way to ask is to run the case: discovery runs each case once. A case
    /// whose check throws is kept, so that its own test case fails and names it.
    /// </summary>
    public static TheoryData<string> Ids(VectorSuite suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return [.. suite.CaseIds.Where(id => !IsSkipped(suite, id))];
    }

    /// <summary>The results of every case <paramref name="suite"/> skips, each with its reason.</summary>
    public static IReadOnlyList<CaseResult> Skipped(VectorSuite suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return [.. suite.RunAll().Where(r => r.Outcome == Outcome.Skipped)];
    }

    /// <summary>Runs one case, which must pass; otherwise the test fails with the case's source, id and detail.</summary>
    public static void AssertPasses(VectorSuite suite, string id)
    {
        ArgumentNullException.ThrowIfNull(suite);
        var result = suite.Run(id);
        Assert.True(result.Outcome == Outcome.Passed, result.ToString());
    }

    private static bool IsSkipped(VectorSuite suite, string id)
    {
        try
        {
            return suite.Run(id).Outcome == Outcome.Skipped;
        }
        catch (Exception)
        {
            // Not a skip: the case's own test runs it again and reports the failure under its id.
            return false;
        }
    }
}
