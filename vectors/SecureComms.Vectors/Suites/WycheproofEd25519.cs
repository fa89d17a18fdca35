using SecureComms.Crypto;

namespace SecureComms.Vectors.Suites;

/// <summary>Wycheproof <c>ed25519_test.json</c> (RFC 8032 §5.1.7 verification) against <see cref="Ed25519.Verify"/>.</summary>
public sealed class WycheproofEd25519() : WycheproofSuite("ed25519_test")
{
    /// <inheritdoc/>
    protected override Attempt Try(VectorCase testCase)
    {
        var publicKey = Ed25519PublicKey.Decode(testCase.Group("publicKey").Bytes("pk"));
        return Ed25519.Verify(publicKey, testCase.Bytes("msg"), testCase.Bytes("sig"))
            ? Attempt.Accepted
            : Attempt.Rejected;
    }
}
