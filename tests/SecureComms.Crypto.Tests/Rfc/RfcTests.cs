using SecureComms.Vectors;
using SecureComms.Vectors.Suites;

namespace SecureComms.Crypto.Tests.Rfc;

/// <summary>
/// The RFC known answers (RFC 7748 §5.2/§6.1, RFC 8032 §7.1, RFC 5869 Appendix A, RFC 4231 §4.2-§4.8,
/// the GCM specification's test cases 13-18, RFC 9106 §5.3), one test case per case id, judged by the suites
/// that <c>securecomms conformance</c> runs. None is skipped.
/// </summary>
public sealed class RfcTests
{
    public static TheoryData<string> Rfc7748Cases => VectorTheory.Ids(new Rfc7748());
    public static TheoryData<string> Rfc8032Cases => VectorTheory.Ids(new Rfc8032());
    public static TheoryData<string> Rfc5869Cases => VectorTheory.Ids(new Rfc5869());
    public static TheoryData<string> Rfc4231Cases => VectorTheory.Ids(new Rfc4231());
    public static TheoryData<string> GcmSpecCases => VectorTheory.Ids(new GcmSpec());
    public static TheoryData<string> Rfc9106Cases => VectorTheory.Ids(new Rfc9106());

    [Theory, MemberData(nameof(Rfc7748Cases))]
    public void X25519(string id) => VectorTheory.AssertPasses(new Rfc7748(), id);

    [Theory, MemberData(nameof(Rfc8032Cases))]
    public void Ed25519(string id) => VectorTheory.AssertPasses(new Rfc8032(), id);

    [Theory, MemberData(nameof(Rfc5869Cases))]
    public void HkdfSha256(string id) => VectorTheory.AssertPasses(new Rfc5869(), id);

    [Theory, MemberData(nameof(Rfc4231Cases))]
    public void HmacSha256(string id) => VectorTheory.AssertPasses(new Rfc4231(), id);

    [Theory, MemberData(nameof(GcmSpecCases))]
    public void AesGcm(string id) => VectorTheory.AssertPasses(new GcmSpec(), id);

    [Theory, MemberData(nameof(Rfc9106Cases))]
    public void Argon2id(string id) => VectorTheory.AssertPasses(new Rfc9106(), id);

    /// <summary>Every case of every RFC file is a theory case: the suites skip nothing.</summary>
    [Fact]
    public void No_RFC_case_is_skipped()
    {
        VectorSuite[] suites = [new Rfc7748(), new Rfc8032(), new Rfc5869(), new Rfc4231(), new GcmSpec(), new Rfc9106()];
        Assert.All(suites, suite => Assert.Empty(VectorTheory.Skipped(suite)));
    }
}
