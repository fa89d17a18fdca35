using SecureComms.Vectors;
using SecureComms.Vectors.Suites;

namespace SecureComms.Crypto.Tests.Wycheproof;

/// <summary>
/// Every Wycheproof case the suites run, one test case per tcId, judged by the same suites that
/// <c>securecomms conformance</c> runs. The only cases skipped are AES-GCM's AES-128/AES-192 ones, and the facts
/// below hold the suites to exactly that.
/// </summary>
public sealed class WycheproofTests
{
    public static TheoryData<string> X25519Cases => VectorTheory.Ids(new WycheproofX25519());
    public static TheoryData<string> AesGcmCases => VectorTheory.Ids(new WycheproofAesGcm());
    public static TheoryData<string> HkdfCases => VectorTheory.Ids(new WycheproofHkdfSha256());
    public static TheoryData<string> HmacCases => VectorTheory.Ids(new WycheproofHmacSha256());
    public static TheoryData<string> Ed25519Cases => VectorTheory.Ids(new WycheproofEd25519());

    [Theory, MemberData(nameof(X25519Cases))]
    public void X25519(string tcId) => VectorTheory.AssertPasses(new WycheproofX25519(), tcId);

    [Theory, MemberData(nameof(AesGcmCases))]
    public void AesGcm(string tcId) => VectorTheory.AssertPasses(new WycheproofAesGcm(), tcId);

    [Theory, MemberData(nameof(HkdfCases))]
    public void HkdfSha256(string tcId) => VectorTheory.AssertPasses(new WycheproofHkdfSha256(), tcId);

    [Theory, MemberData(nameof(HmacCases))]
    public void HmacSha256(string tcId) => VectorTheory.AssertPasses(new WycheproofHmacSha256(), tcId);

    [Theory, MemberData(nameof(Ed25519Cases))]
    public void Ed25519(string tcId) => VectorTheory.AssertPasses(new WycheproofEd25519(), tcId);

    /// <summary>
    /// AES-GCM skips a case only for a key other than AES-256 (<see cref="Aes256Gcm"/> wraps AES-256 only), with
    /// that reason, and every AES-256 case is a theory case.
    /// </summary>
    [Fact]
    public void AesGcm_SkipsExactlyTheNon256BitKeys()
    {
        var suite = new WycheproofAesGcm();
        const int aes256Bits = Aes256Gcm.KeySizeInBytes * 8;
        var skipped = VectorTheory.Skipped(suite);
        Assert.NotEmpty(skipped);
        Assert.All(skipped, result =>
        {
            int size = suite.File[result.CaseId].Int("keySize");
            Assert.NotEqual(aes256Bits, size);
            Assert.Equal(WycheproofAesGcm.KeySizeSkipReason(size), result.Detail);
        });
        var aes256Cases = suite.File.Cases.Where(c => c.Int("keySize") == aes256Bits).Select(c => c.Id);
        IEnumerable<string> theoryCases = AesGcmCases;
        Assert.Equal(aes256Cases, theoryCases.ToList());
    }

    /// <summary>The other Wycheproof suites skip nothing: every case of their files is a theory case.</summary>
    [Fact]
    public void OtherSuites_SkipNothing()
    {
        VectorSuite[] suites = [new WycheproofX25519(), new WycheproofHkdfSha256(), new WycheproofHmacSha256(), new WycheproofEd25519()];
        Assert.All(suites, suite => Assert.Empty(VectorTheory.Skipped(suite)));
    }
}
