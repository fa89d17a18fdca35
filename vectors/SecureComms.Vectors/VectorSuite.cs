namespace SecureComms.Vectors;

/// <summary>
/// One source of published vectors run against SecureComms: the source's name as the conformance report
/// shows it (e.g. <c>wycheproof/x25519_test</c>, <c>rfc7748</c>) and a check per case.
/// </summary>
public abstract class VectorSuite
{
    private readonly Func<VectorFile> _load;

    /// <summary>A suite over the embedded file <paramref name="fileName"/>.</summary>
    protected VectorSuite(string source, string fileName)
        : this(source, () => EmbeddedVectors.Load(fileName))
    {
    }

    /// <summary>A suite over a file in another format, read by <paramref name="load"/> (which caches it).</summary>
    protected VectorSuite(string source, Func<VectorFile> load)
    {
        Source = source;
        _load = load;
    }

    /// <summary>The source's name in reports.</summary>
    public string Source { get; }

    /// <summary>The parsed vector file.</summary>
    public VectorFile File => _load();

    /// <summary>Ids of every case, in file order.</summary>
    public IEnumerable<string> CaseIds => File.Cases.Select(c => c.Id);

    /// <summary>
    /// Runs one case. A malformed case (a bad field, or values the wrapper refuses as arguments) is a failure
    /// naming the problem; nothing else escapes.
    /// </summary>
    public CaseResult Run(string caseId)
    {
        Verdict verdict;
        try
        {
            verdict = Check(File[caseId]);
        }
        catch (VectorFormatException e)
        {
            verdict = Verdict.Fail($"malformed vector: {e.Message}");
        }
        catch (ArgumentException e)
        {
            verdict = Verdict.Fail($"refused as an argument: {e.Message}");
        }
        return new CaseResult(Source, caseId, verdict.Outcome, verdict.Detail);
    }

    /// <summary>Runs every case.</summary>
    public IEnumerable<CaseResult> RunAll() => CaseIds.Select(Run);

    /// <summary>Checks one case against the implementation.</summary>
    protected abstract Verdict Check(VectorCase testCase);
}
