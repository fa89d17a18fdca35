using Google.Protobuf;
using SecureComms.Crypto;
using SecureComms.Signal.Proto;

namespace SecureComms.Signal.Fingerprints;

/// <summary>
/// The scannable safety number: a version and the first 32 bytes of each party's fingerprint, serialized
/// as libsignal's <c>CombinedFingerprints</c> protobuf (<c>Proto/fingerprint.proto</c>).
/// </summary>
/// <remarks>
/// Comparison follows libsignal's <c>ScannableFingerprint::compare</c>: the other side's local content must
/// equal our remote content and vice versa, compared in fixed time. Parsing is total: oversized or
/// malformed input and missing fields are <see cref="FingerprintComparison.Malformed"/>, a different
/// version is <see cref="FingerprintComparison.VersionMismatch"/>.
/// </remarks>
public sealed class ScannableFingerprint
{
    /// <summary>Bytes of each party's fingerprint carried: 256 bits.</summary>
    public const int ContentSizeInBytes = 256 / 8;

    /// <summary>Largest serialized form accepted before parsing (a valid one is 74 bytes).</summary>
    public const int MaxSerializedSizeInBytes = 128;

    private readonly byte[] _local;
    private readonly byte[] _remote;

    internal ScannableFingerprint(int version, ReadOnlySpan<byte> local, ReadOnlySpan<byte> remote)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        Version = version;
        _local = local.ToArray();
        _remote = remote.ToArray();
    }

    /// <summary>The scannable format version (libsignal: 1, or 2 for the "stable identifier" era).</summary>
    public int Version { get; }

    /// <summary>The bytes to show as a QR code.</summary>
    public byte[] Serialize() => new CombinedFingerprints
    {
        Version = (uint)Version,
        LocalFingerprint = new LogicalFingerprint { Content = ByteString.CopyFrom(_local) },
        RemoteFingerprint = new LogicalFingerprint { Content = ByteString.CopyFrom(_remote) },
    }.ToByteArray();

    /// <summary>Compares with what the other side's QR code holds.</summary>
    public FingerprintComparison Compare(ReadOnlySpan<byte> theirs)
    {
        if (theirs.Length > MaxSerializedSizeInBytes)
        {
            return FingerprintComparison.Malformed;
        }
        CombinedFingerprints combined;
        try
        {
            combined = CombinedFingerprints.Parser.ParseFrom(theirs);
        }
        catch (InvalidProtocolBufferException)
        {
            return FingerprintComparison.Malformed;
        }
        if (!combined.HasVersion || combined.LocalFingerprint is not { HasContent: true } theirLocal
            || combined.RemoteFingerprint is not { HasContent: true } theirRemote)
        {
            return FingerprintComparison.Malformed;
        }
        if (combined.Version != (uint)Version)
        {
            return FingerprintComparison.VersionMismatch;
        }
        bool localMatches = FixedTime.Equals(theirLocal.Content.Span, _remote);
        bool remoteMatches = FixedTime.Equals(theirRemote.Content.Span, _local);
        return localMatches & remoteMatches ? FingerprintComparison.Match : FingerprintComparison.Mismatch;
    }
}

/// <summary>Outcome of comparing two scannable safety numbers.</summary>
public enum FingerprintComparison
{
    /// <summary>Both sides see the same two identity keys.</summary>
    Match,

    /// <summary>The keys differ: an identity key was substituted, or the wrong contact was scanned.</summary>
    Mismatch,

    /// <summary>The other side uses another scannable version.</summary>
    VersionMismatch,

    /// <summary>Not a scannable fingerprint.</summary>
    Malformed,
}
