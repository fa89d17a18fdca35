using SecureComms.Fuzz.Targets;
using SharpFuzz;

namespace SecureComms.Fuzz;

/// <summary>
/// Every fuzz target by name: the name is the command-line argument of <c>securecomms-fuzz</c> and
/// <c>scripts/fuzz</c>, and the folder of its seeds under <c>fuzz/corpus/</c>.
/// </summary>
/// <remarks>
/// A target takes one input and returns normally for every input, unless it found a bug: then an
/// exception escapes (a stray exception of the code under test, or a <see cref="FuzzFindingException"/>
/// from an oracle). Adding a target: a class in <c>Targets/</c>, a line here, seeds in
/// <c>fuzz/corpus/NAME/</c>; the corpus replay test picks it up.
/// </remarks>
public static class FuzzTargets
{
    /// <summary>The targets, by name.</summary>
    public static IReadOnlyDictionary<string, ReadOnlySpanAction> All { get; } =
        new SortedDictionary<string, ReadOnlySpanAction>(StringComparer.Ordinal)
        {
            [VectorFileTarget.Name] = VectorFileTarget.Target,
            [HexTarget.Name] = HexTarget.Target,
            [X25519PublicKeyTarget.Name] = X25519PublicKeyTarget.Target,
            [Ed25519VerifyTarget.Name] = Ed25519VerifyTarget.Target,
            [XEdDsaVerifyTarget.Name] = XEdDsaVerifyTarget.Target,
            [ScannableFingerprintTarget.Name] = ScannableFingerprintTarget.Target,
            [SignalMessageTarget.Name] = SignalMessageTarget.Target,
            [PreKeySignalMessageTarget.Name] = PreKeySignalMessageTarget.Target,
            [SessionRecordTarget.Name] = SessionRecordTarget.Target,
            [SessionDecryptTarget.Name] = SessionDecryptTarget.Target,
            [ShimLineTarget.Name] = ShimLineTarget.Target,
            [SignalInteractionTarget.Name] = SignalInteractionTarget.Target,
            [CloudFrameTarget.Name] = CloudFrameTarget.Target,
            [IdentityCertificateTarget.Name] = IdentityCertificateTarget.Target,
            [CloudHandlersTarget.Name] = CloudHandlersTarget.Target,
            [StunMessageTarget.Name] = StunMessageTarget.Target,
            [NoiseHandshakeTarget.Name] = NoiseHandshakeTarget.Target,
            [UdpRecordTarget.Name] = UdpRecordTarget.Target,
            [TcpRecordTarget.Name] = TcpRecordTarget.Target,
        };
}
