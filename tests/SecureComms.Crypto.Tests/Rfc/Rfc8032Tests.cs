using SecureComms.Vectors.Suites;

namespace SecureComms.Crypto.Tests.Rfc;

/// <summary>
/// RFC 8032 §7.1 TEST 1-3 (Ed25519 public key, signature, verification).
/// One test case per case id, judged by the <see cref="Rfc8032"/> suite that <c>securecomms conformance</c> runs.
/// </summary>
public sealed class Rfc8032Tests
{
    public static TheoryData<string> Cases => VectorTheory.Ids(new Rfc8032());

    [Theory, MemberData(nameof(Cases))]
    public void Ed25519(string id) => VectorTheory.AssertPasses(new Rfc8032(), id);

    /// <summary>The suite skips nothing: every case of its file is a theory case.</summary>
    [Fact]
    public void SkipsNothing() => Assert.Empty(VectorTheory.Skipped(new Rfc8032()));
}
