namespace SecureComms.Fuzz;

/// <summary>
/// A harness oracle failed: the code under test returned without an exception but broke a property that
/// must hold for every input (for example "the output is all zero iff the agreement is non-contributory").
/// Like any stray exception, it is reported to the fuzzer as a crash.
/// </summary>
public sealed class FuzzFindingException(string message) : Exception(message)
{
    /// <summary>Throws a <see cref="FuzzFindingException"/> with <paramref name="property"/> when
    /// <paramref name="holds"/> is false.</summary>
    public static void Require(bool holds, string property)
    {
        if (!holds)
        {
            throw new FuzzFindingException($"Property violated: {property}");
        }
    }
}
