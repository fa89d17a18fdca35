using SecureComms.Crypto;
using BouncyEd25519 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// Fuzz target <c>ed25519-verify</c>: <see cref="Ed25519PublicKey.TryDecode"/> and
/// <see cref="Ed25519.Verify"/> on an input split by <see cref="SignatureInput"/>.
/// </summary>
/// <remarks>
/// Oracles: decoding succeeds exactly for 32-byte keys; Verify returns a bool for any key, signature and
/// message (malformed is false, never an exception); and a signature it accepts is also accepted by
/// BouncyCastle's independent RFC 8032 verifier, which is no stricter than libsodium.
/// </remarks>
public static class Ed25519VerifyTarget
{
    /// <summary>The target's name on the command line and in <c>fuzz/corpus/</c>.</summary>
    public const string Name = "ed25519-verify";

    /// <summary>Runs one input.</summary>
    public static void Target(ReadOnlySpan<byte> data)
    {
        var input = SignatureInput.Split(data);
        bool decoded = Ed25519PublicKey.TryDecode(input.PublicKey, out var publicKey);
        FuzzFindingException.Require(decoded == (input.PublicKey.Length == Ed25519PublicKey.SizeInBytes), "TryDecode accepts exactly 32 bytes");
        if (!decoded)
        {
            return;
        }
        if (Ed25519.Verify(publicKey!, input.Message, input.Signature))
        {
            FuzzFindingException.Require(
                input.Signature.Length == Ed25519.SignatureSizeInBytes
                    && BouncyEd25519.Verify(input.Signature.ToArray(), 0, input.PublicKey.ToArray(), 0, input.Message.ToArray(), 0, input.Message.Length),
                "a signature libsodium accepts is accepted by BouncyCastle");
        }
    }
}
