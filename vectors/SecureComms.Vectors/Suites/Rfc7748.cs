using SecureComms.Crypto;

namespace SecureComms.Vectors.Suites;

/// <summary>RFC 7748 §5.2 (single and iterated X25519) and §6.1 (Diffie-Hellman) against <see cref="X25519"/>.</summary>
public sealed class Rfc7748() : VectorSuite("rfc7748", "rfc/rfc7748_x25519.json")
{
    /// <inheritdoc/>
    protected override Verdict Check(VectorCase testCase)
    {
        if (testCase.Has("alice_private"))
        {
            using var alice = X25519PrivateKey.Import(testCase.Bytes("alice_private"));
            using var bob = X25519PrivateKey.Import(testCase.Bytes("bob_private"));
            byte[] expected = testCase.Bytes("shared_secret");
            return Verdict.PassIf(
                alice.PublicKey.Bytes.SequenceEqual(testCase.Bytes("alice_public"))
                && bob.PublicKey.Bytes.SequenceEqual(testCase.Bytes("bob_public"))
                && KnownAnswer.Agree(alice, bob.PublicKey).SequenceEqual(expected)
                && KnownAnswer.Agree(bob, alice.PublicKey).SequenceEqual(expected),
                "public keys or shared secret differ");
        }
        if (testCase.Has("iterations"))
        {
            byte[] k = testCase.Bytes("start_k"), u = testCase.Bytes("start_u");
            for (int i = 0; i < testCase.Int("iterations"); i++)
            {
                using var key = X25519PrivateKey.Import(k);
                (k, u) = (KnownAnswer.Agree(key, X25519PublicKey.Decode(u)), k);
            }
            return Verdict.PassIf(k.AsSpan().SequenceEqual(testCase.Bytes("output")), "iterated result differs");
        }
        using var scalar = X25519PrivateKey.Import(testCase.Bytes("scalar"));
        byte[] output = KnownAnswer.Agree(scalar, X25519PublicKey.Decode(testCase.Bytes("u")));
        return Verdict.PassIf(output.AsSpan().SequenceEqual(testCase.Bytes("output")), "output differs");
    }
}
