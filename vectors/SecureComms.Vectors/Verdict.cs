namespace SecureComms.Vectors;

/// <summary>How one vector case ended.</summary>
public enum Outcome
{
    /// <summary>The implementation did what the vector expects.</summary>
    Passed,

    /// <summary>It did not (or the case is malformed).</summary>
    Failed,

    /// <summary>Not run, for the reason given (never silently).</summary>
    Skipped,
}

/// <summary>The result of one case: its source, id, outcome and a human-readable detail.</summary>
public sealed record CaseResult(string Source, string CaseId, Outcome Outcome, string Detail)
{
    /// <summary>"source#id: Outcome (detail)".</summary>
    public override string ToString() => $"{Source}#{CaseId}: {Outcome} ({Detail})";
}

/// <summary>What a suite's check concluded for one case.</summary>
public readonly record struct Verdict(Outcome Outcome, string Detail)
{
    /// <summary>The case passed.</summary>
    public static Verdict Pass(string detail = "") => new(Outcome.Passed, detail);

    /// <summary>The case failed.</summary>
    public static Verdict Fail(string detail) => new(Outcome.Failed, detail);

    /// <summary>The case is not run, for <paramref name="reason"/>.</summary>
    public static Verdict Skip(string reason) => new(Outcome.Skipped, reason);

    /// <summary>Pass when <paramref name="condition"/> holds, else fail with <paramref name="detail"/>.</summary>
    public static Verdict PassIf(bool condition, string detail) => condition ? Pass() : Fail(detail);
}
