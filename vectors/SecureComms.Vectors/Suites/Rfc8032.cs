using SecureComms.Crypto;

namespace SecureComms.Vectors.Suites;

/// <summary>RFC 8032 §7.1 TEST 1-3: public key from seed, deterministic signature, verification.</summary>
public sealed class Rfc8032() : VectorSuite("rfc8032", "rfc/rfc8032_ed25519.json")
{
    /// <inheritdoc/>
    protected override Verdict Check(VectorCase testCase)
    {
        using var key = Ed25519PrivateKey.Import(testCase.Bytes("secret_key"));
        byte[] message = testCase.Bytes("message"), expected = testCase.Bytes("signature");
        var signature = new byte[Ed25519.SignatureSizeInBytes];
        Ed25519.Sign(key, message, signature);
        return Verdict.PassIf(
            key.PublicKey.Bytes.SequenceEqual(testCase.Bytes("public_key"))
            && signature.AsSpan().SequenceEqual(expected)
            && Ed25519.Verify(key.PublicKey, message, expected),
            "public key, signature or verification differs");
    }
}
