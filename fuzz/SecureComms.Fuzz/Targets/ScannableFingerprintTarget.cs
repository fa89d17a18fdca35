using SecureComms.Crypto;
using SecureComms.Signal;
using SecureComms.Signal.Fingerprints;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// Fuzz target <c>scannable-fingerprint</c>: <see cref="ScannableFingerprint.Compare"/> of the input (the
/// protobuf a QR code carries) against a fixed safety number.
/// </summary>
/// <remarks>
/// Oracles: no exception escapes; the input is a <see cref="FingerprintComparison.Match"/> only if it is the
/// other side's exact serialization (the fixed bytes below); anything longer than the bound is
/// <see cref="FingerprintComparison.Malformed"/>.
/// </remarks>
public static class ScannableFingerprintTarget
{
    /// <summary>The target's name on the command line and in <c>fuzz/corpus/</c>.</summary>
    public const string Name = "scannable-fingerprint";

    private static readonly (ScannableFingerprint Ours, byte[] Theirs) Pair = MakePair();

    /// <summary>Runs one input.</summary>
    public static void Target(ReadOnlySpan<byte> data)
    {
        var result = Pair.Ours.Compare(data);
        FuzzFindingException.Require(
            result != FingerprintComparison.Match || data.SequenceEqual(Pair.Theirs),
            "only the other side's own serialization matches");
        FuzzFindingException.Require(
            data.Length <= ScannableFingerprint.MaxSerializedSizeInBytes || result == FingerprintComparison.Malformed,
            "input over the size bound is malformed");
    }

    private static (ScannableFingerprint, byte[]) MakePair()
    {
        // RFC 7748 §6.1's public keys as the two identities: fixed, so that the corpus stays meaningful.
        var alice = new IdentityKey(X25519PublicKey.Decode(Convert.FromHexString("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")));
        var bob = new IdentityKey(X25519PublicKey.Decode(Convert.FromHexString("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")));
        var ours = new Fingerprint(2, 16, "alice"u8, alice, "bob"u8, bob).Scannable;
        var theirs = new Fingerprint(2, 16, "bob"u8, bob, "alice"u8, alice).Scannable.Serialize();
        return (ours, theirs);
    }
}
