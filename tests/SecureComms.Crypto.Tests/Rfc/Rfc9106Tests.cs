using SecureComms.Vectors.Suites;

namespace SecureComms.Crypto.Tests.Rfc;

/// <summary>
/// RFC 9106 §5.3 (Argon2id with secret and associated data, p = 4).
/// One test case per case id, judged by the <see cref="Rfc9106"/> suite that <c>securecomms conformance</c> runs.
/// </summary>
public sealed class Rfc9106Tests
{
    public static TheoryData<string> Cases => VectorTheory.Ids(new Rfc9106());

    [Theory, MemberData(nameof(Cases))]
    public void Argon2id(string id) => VectorTheory.AssertPasses(new Rfc9106(), id);

    /// <summary>The suite skips nothing: every case of its file is a theory case.</summary>
    [Fact]
    public void SkipsNothing() => Assert.Empty(VectorTheory.Skipped(new Rfc9106()));
}
