using SecureComms.Crypto;

namespace SecureComms.Vectors.Suites;

/// <summary>Small steps shared by the known-answer suites.</summary>
internal static class KnownAnswer
{
    /// <summary>
    /// X25519(key, publicKey) as a new array. A known-answer case never expects a non-contributory result,
    /// so one is a malformed case (<see cref="VectorFormatException"/>), reported as a failure naming it.
    /// </summary>
    public static byte[] Agree(X25519PrivateKey key, X25519PublicKey publicKey)
    {
        var output = new byte[X25519.SharedSecretSizeInBytes];
        return X25519.Agree(key, publicKey, output) == AgreementResult.Success
            ? output
            : throw new VectorFormatException("a known-answer agreement was non-contributory");
    }
}
