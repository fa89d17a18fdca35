using SecureComms.Vectors.Suites;

namespace SecureComms.Crypto.Tests.Rfc;

/// <summary>
/// RFC 4231 §4.2-§4.8 test cases 1-7 (HMAC-SHA-256).
/// One test case per case id, judged by the <see cref="Rfc4231"/> suite that <c>securecomms conformance</c> runs.
/// </summary>
public sealed class Rfc4231Tests
{
    public static TheoryData<string> Cases => VectorTheory.Ids(new Rfc4231());

    [Theory, MemberData(nameof(Cases))]
    public void HmacSha256(string id) => VectorTheory.AssertPasses(new Rfc4231(), id);

    /// <summary>The suite skips nothing: every case of its file is a theory case.</summary>
    [Fact]
    public void SkipsNothing() => Assert.Empty(VectorTheory.Skipped(new Rfc4231()));
}
