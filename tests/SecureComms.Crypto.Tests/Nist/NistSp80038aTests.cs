using SecureComms.Vectors.Suites;

namespace SecureComms.Crypto.Tests.Nist;

/// <summary>
/// NIST SP 800-38A Appendix F, AES-256 CBC (F.2.5/F.2.6) and CTR (F.5.5/F.5.6), one test case per vector,
/// judged by the <see cref="NistSp80038a"/> suite that <c>securecomms conformance</c> runs. None is skipped.
/// </summary>
public sealed class NistSp80038aTests
{
    public static TheoryData<string> Cases => VectorTheory.Ids(new NistSp80038a());

    [Theory, MemberData(nameof(Cases))]
    public void AppendixF(string id) => VectorTheory.AssertPasses(new NistSp80038a(), id);

    [Fact]
    public void No_case_is_skipped() => Assert.Empty(VectorTheory.Skipped(new NistSp80038a()));
}
