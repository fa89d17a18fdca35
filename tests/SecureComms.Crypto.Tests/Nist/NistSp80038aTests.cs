using SecureComms.Vectors.Suites;

namespace SecureComms.Crypto.Tests.Nist;

/// <summary>
/// NIST SP 800-38A Appendix F.2.5/F.2.6 (CBC-AES256) and F.5.5/F.5.6 (CTR-AES256) against <see cref="Aes256Cbc"/> and
/// <see cref="Aes256Ctr"/>. One test case per case id, judged by the <see cref="NistSp80038a"/> suite that
/// <c>securecomms conformance</c> runs.
/// </summary>
public sealed class NistSp80038aTests
{
    public static TheoryData<string> Cases => VectorTheory.Ids(new NistSp80038a());

    [Theory, MemberData(nameof(Cases))]
    public void AppendixF(string id) => VectorTheory.AssertPasses(new NistSp80038a(), id);

    /// <summary>The suite skips nothing: every case of its file is a theory case.</summary>
    [Fact]
    public void SkipsNothing() => Assert.Empty(VectorTheory.Skipped(new NistSp80038a()));
}
