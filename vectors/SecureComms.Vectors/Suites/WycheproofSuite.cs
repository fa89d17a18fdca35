namespace SecureComms.Vectors.Suites;

/// <summary>
/// Common judgement of a Wycheproof case (Wycheproof <c>doc/files.md</c>): a <c>valid</c> case must be
/// accepted with the expected output, an <c>invalid</c> one refused, an <c>acceptable</c> one may go either
/// way (its flags say why), but if accepted its output must still be right.
/// </summary>
public abstract class WycheproofSuite(string name) : VectorSuite($"wycheproof/{name}", $"wycheproof/{name}.json")
{
    /// <summary>What the implementation did with a case.</summary>
    protected enum Attempt
    {
        /// <summary>Accepted, and the output (if any) equals the expected one.</summary>
        Accepted,

        /// <summary>Refused (a false return, a named error, or a rejected parameter).</summary>
        Rejected,

        /// <summary>Accepted with an output different from the expected one: always a failure.</summary>
        WrongOutput,
    }

    /// <inheritdoc/>
    protected sealed override Verdict Check(VectorCase testCase)
    {
        if (SkipReason(testCase) is { } reason)
        {
            return Verdict.Skip(reason);
        }
        string expected = testCase.Text("result");
        var flags = testCase.Strings("flags");
        Attempt attempt;
        try
        {
            attempt = Try(testCase);
        }
        catch (ArgumentException e)
        {
            // The wrapper refused the parameters (e.g. an empty nonce, an output beyond the HKDF limit).
            attempt = Attempt.Rejected;
            flags = [.. flags, $"refused: {e.GetType().Name}"];
        }
        string detail = $"{expected} [{string.Join(", ", flags)}]: {attempt}";
        return (expected, attempt) switch
        {
            (_, Attempt.WrongOutput) => Verdict.Fail(detail),
            ("valid", Attempt.Accepted) => Verdict.Pass(detail),
            ("invalid", Attempt.Rejected) => Verdict.Pass(detail),
            ("acceptable", _) => Verdict.Pass(detail),
            ("valid" or "invalid", _) => Verdict.Fail(detail),
            _ => throw new VectorFormatException($"case {testCase.Id}: unknown result '{expected}'"),
        };
    }

    /// <summary>Why a case is outside what the wrapper offers, or null to run it.</summary>
    protected virtual string? SkipReason(VectorCase testCase) => null;

    /// <summary>Runs the case through the implementation.</summary>
    protected abstract Attempt Try(VectorCase testCase);

    /// <summary><see cref="Attempt.Accepted"/> when the bytes match, else <see cref="Attempt.WrongOutput"/>.</summary>
    protected static Attempt Matches(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> expected) =>
        actual.SequenceEqual(expected) ? Attempt.Accepted : Attempt.WrongOutput;
}
