using SecureComms.Crypto;

namespace SecureComms.Vectors.Suites;

/// <summary>Wycheproof <c>x25519_test.json</c> (RFC 7748 §5, §6.1) against <see cref="X25519"/>.</summary>
public sealed class WycheproofX25519() : WycheproofSuite("x25519_test")
{
    /// <inheritdoc/>
    protected override Attempt Try(VectorCase testCase)
    {
        using var privateKey = X25519PrivateKey.Import(testCase.Bytes("private"));
        var publicKey = X25519PublicKey.Decode(testCase.Bytes("public"));
        Span<byte> shared = stackalloc byte[X25519.SharedSecretSizeInBytes];
        return X25519.Agree(privateKey, publicKey, shared) switch
        {
            AgreementResult.Success => Matches(shared, testCase.Bytes("shared")),
            // Refused; the output must have been zeroed, and the vector must indeed be all-zero.
            _ => shared.IndexOfAnyExcept((byte)0) < 0 && FixedTime.IsAllZero(testCase.Bytes("shared"))
                ? Attempt.Rejected
                : Attempt.WrongOutput,
        };
    }
}
