using SecureComms.Crypto;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// Fuzz target <c>xeddsa-verify</c>: <see cref="X25519PublicKey.TryDecode"/> and <see cref="XEdDsa.Verify"/>
/// on an input split by <see cref="SignatureInput"/>.
/// </summary>
/// <remarks>
/// Oracles: decoding succeeds exactly for 32-byte keys; Verify returns a bool for any key (including
/// u ≥ p and u = −1, where convert_mont divides by zero), signature and message, never an exception; and
/// it accepts only 64-byte signatures.
/// </remarks>
public static class XEdDsaVerifyTarget
{
    /// <summary>The target's name on the command line and in <c>fuzz/corpus/</c>.</summary>
    public const string Name = "xeddsa-verify";

    /// <summary>Runs one input.</summary>
    public static void Target(ReadOnlySpan<byte> data)
    {
        var input = SignatureInput.Split(data);
        bool decoded = X25519PublicKey.TryDecode(input.PublicKey, out var publicKey);
        FuzzFindingException.Require(decoded == (input.PublicKey.Length == X25519PublicKey.SizeInBytes), "TryDecode accepts exactly 32 bytes");
        if (!decoded)
        {
            return;
        }
        bool valid = XEdDsa.Verify(publicKey!, input.Message, input.Signature);
        FuzzFindingException.Require(!valid || input.Signature.Length == XEdDsa.SignatureSizeInBytes, "only 64-byte signatures verify");
    }
}
