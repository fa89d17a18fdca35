using SecureComms.Vectors.Suites;

namespace SecureComms.Crypto.Tests.Rfc;

/// <summary>
/// RFC 5869 Appendix A.1-A.3 (HKDF-SHA-256 Extract, Expand and both).
/// One test case per case id, judged by the <see cref="Rfc5869"/> suite that <c>securecomms conformance</c> runs.
/// </summary>
public sealed class Rfc5869Tests
{
    public static TheoryData<string> Cases => VectorTheory.Ids(new Rfc5869());

    [Theory, MemberData(nameof(Cases))]
    public void HkdfSha256(string id) => VectorTheory.AssertPasses(new Rfc5869(), id);

    /// <summary>The suite skips nothing: every case of its file is a theory case.</summary>
    [Fact]
    public void SkipsNothing() => Assert.Empty(VectorTheory.Skipped(new Rfc5869()));
}
