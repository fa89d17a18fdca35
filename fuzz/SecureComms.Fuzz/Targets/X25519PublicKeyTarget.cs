using SecureComms.Crypto;
using BouncyX25519 = Org.BouncyCastle.Math.EC.Rfc7748.X25519;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// Fuzz target <c>x25519-public-key</c>: <see cref="X25519PublicKey.TryDecode"/> on the whole input, then
/// <see cref="X25519.Agree"/> with a fixed private key.
/// </summary>
/// <remarks>
/// Oracles: decoding succeeds exactly for 32-byte inputs and keeps the bytes; the shared secret is all zero
/// exactly when the result is <see cref="AgreementResult.NonContributory"/> (STYLE.md §11); and the secret
/// equals BouncyCastle's independent RFC 7748 implementation of the same scalar multiplication.
/// </remarks>
public static class X25519PublicKeyTarget
{
    /// <summary>The target's name on the command line and in <c>fuzz/corpus/</c>.</summary>
    public const string Name = "x25519-public-key";

    /// <summary>RFC 7748 §6.1 Alice's private key: a published test scalar, not a secret.</summary>
    private static readonly byte[] Scalar = Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");

    private static readonly X25519PrivateKey PrivateKey = X25519PrivateKey.Import(Scalar);

    /// <summary>Runs one input.</summary>
    public static void Target(ReadOnlySpan<byte> data)
    {
        bool decoded = X25519PublicKey.TryDecode(data, out var publicKey);
        FuzzFindingException.Require(decoded == (data.Length == X25519PublicKey.SizeInBytes), "TryDecode accepts exactly 32 bytes");
        if (!decoded)
        {
            FuzzFindingException.Require(publicKey is null, "a failed TryDecode yields no key");
            return;
        }
        FuzzFindingException.Require(publicKey!.Bytes.SequenceEqual(data), "TryDecode keeps the bytes as given");

        Span<byte> shared = stackalloc byte[X25519.SharedSecretSizeInBytes];
        var result = X25519.Agree(PrivateKey, publicKey, shared);
        bool allZero = !shared.ContainsAnyExcept((byte)0);
        FuzzFindingException.Require(allZero == (result == AgreementResult.NonContributory), "the output is zero iff NonContributory");

        var expected = new byte[X25519.SharedSecretSizeInBytes];
        BouncyX25519.ScalarMult(Scalar, 0, data.ToArray(), 0, expected, 0);
        FuzzFindingException.Require(shared.SequenceEqual(expected), "the shared secret equals BouncyCastle's X25519(k, u)");
    }
}
