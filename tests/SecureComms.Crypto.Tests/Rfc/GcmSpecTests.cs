using SecureComms.Vectors.Suites;

namespace SecureComms.Crypto.Tests.Rfc;

/// <summary>
/// McGrew and Viega, The Galois/Counter Mode of Operation, Appendix B test cases 13-18 (AES-256-GCM).
/// One test case per case id, judged by the <see cref="GcmSpec"/> suite that <c>securecomms conformance</c> runs.
/// </summary>
public sealed class GcmSpecTests
{
    public static TheoryData<string> Cases => VectorTheory.Ids(new GcmSpec());

    [Theory, MemberData(nameof(Cases))]
    public void AesGcm(string id) => VectorTheory.AssertPasses(new GcmSpec(), id);

    /// <summary>The suite skips nothing: every case of its file is a theory case.</summary>
    [Fact]
    public void SkipsNothing() => Assert.Empty(VectorTheory.Skipped(new GcmSpec()));
}
