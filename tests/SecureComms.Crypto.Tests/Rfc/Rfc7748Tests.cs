using SecureComms.Vectors.Suites;

namespace SecureComms.Crypto.Tests.Rfc;

/// <summary>
/// RFC 7748 §5.2 (single and iterated X25519) and §6.1 (Alice/Bob Diffie-Hellman).
/// One test case per case id, judged by the <see cref="Rfc7748"/> suite that <c>securecomms conformance</c> runs.
/// </summary>
public sealed class Rfc7748Tests
{
    public static TheoryData<string> Cases => VectorTheory.Ids(new Rfc7748());

    [Theory, MemberData(nameof(Cases))]
    public void X25519(string id) => VectorTheory.AssertPasses(new Rfc7748(), id);

    /// <summary>The suite skips nothing: every case of its file is a theory case.</summary>
    [Fact]
    public void SkipsNothing() => Assert.Empty(VectorTheory.Skipped(new Rfc7748()));
}
