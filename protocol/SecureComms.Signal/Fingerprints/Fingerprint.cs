using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using SecureComms.Crypto;

namespace SecureComms.Signal.Fingerprints;

/// <summary>
/// A safety number: the numeric fingerprint two users compare to detect a substituted identity key, in its
/// displayable (60 digits) and scannable (QR code) forms, as libsignal computes them.
/// </summary>
/// <remarks>
/// <para><b>References.</b> libsignal <c>rust/protocol/src/fingerprint.rs</c> (<c>NumericFingerprintGenerator</c>);
/// Signal blog, "Safety number updates" (2016).</para>
/// <para><b>Formula.</b> For each party, with its stable identifier id and serialized identity key K
/// (0x05 ‖ u): F₀ = 0x0000 ‖ K ‖ id; Fᵢ = SHA-512(Fᵢ₋₁ ‖ K) for i = 1 … iterations. Displayable: the first
/// 30 bytes of F as six 5-byte big-endian integers, each mod 100,000 written as 5 digits; the two parties'
/// 30-digit strings sorted and joined. Scannable: the first 32 bytes of each party's F, with a version
/// number (<see cref="ScannableFingerprint"/>).</para>
/// <para><b>Parameters.</b> <see cref="DefaultIterations"/> = 5,200 (Signal's apps), at most
/// <see cref="MaxIterations"/>; identifiers at most <see cref="MaxStableIdSizeInBytes"/> bytes.</para>
/// <para><b>Hazards.</b> Equal safety numbers prove only that both sides see the same two keys; users must
/// compare them over an authentic channel (in person, or a call they trust).</para>
/// </remarks>
public sealed class Fingerprint
{
    /// <summary>Hash iterations used by Signal's apps.</summary>
    public const int DefaultIterations = 5200;

    /// <summary>Largest iteration count accepted.</summary>
    public const int MaxIterations = 1_000_000;

    /// <summary>Longest stable identifier accepted: 1 KiB.</summary>
    public const int MaxStableIdSizeInBytes = 1024;

    /// <summary>Digits per party in the displayable form: 6 groups of 5.</summary>
    public const int DigitsPerParty = 30;

    private const int BytesPerGroup = 5;
    private const int GroupModulus = 100_000;

    /// <summary>Computes both forms for (local, remote).</summary>
    public Fingerprint(
        int version,
        int iterations,
        ReadOnlySpan<byte> localStableId,
        IdentityKey localIdentityKey,
        ReadOnlySpan<byte> remoteStableId,
        IdentityKey remoteIdentityKey)
    {
        ArgumentNullException.ThrowIfNull(localIdentityKey);
        ArgumentNullException.ThrowIfNull(remoteIdentityKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        byte[] local = PartyFingerprint(iterations, localStableId, localIdentityKey, nameof(localStableId));
        byte[] remote = PartyFingerprint(iterations, remoteStableId, remoteIdentityKey, nameof(remoteStableId));
        string localDigits = Digits(local), remoteDigits = Digits(remote);
        Displayable = string.CompareOrdinal(localDigits, remoteDigits) < 0 ? localDigits + remoteDigits : remoteDigits + localDigits;
        Scannable = new ScannableFingerprint(version, local.AsSpan(0, ScannableFingerprint.ContentSizeInBytes), remote.AsSpan(0, ScannableFingerprint.ContentSizeInBytes));
    }

    /// <summary>The 60 digits both users see, identical on both sides.</summary>
    public string Displayable { get; }

    /// <summary>The QR-code form, which the other side compares in fixed time.</summary>
    public ScannableFingerprint Scannable { get; }

    /// <summary>F_iterations for one party (64 bytes).</summary>
    private static byte[] PartyFingerprint(int iterations, ReadOnlySpan<byte> stableId, IdentityKey identityKey, string parameterName)
    {
        if (stableId.Length > MaxStableIdSizeInBytes)
        {
            throw new ArgumentException($"Stable identifier must be at most {MaxStableIdSizeInBytes} bytes.", parameterName);
        }
        byte[] key = identityKey.Serialize();
        byte[] first = [0x00, 0x00, .. key, .. stableId, .. key];
        Span<byte> buffer = stackalloc byte[Sha512.HashSizeInBytes + IdentityKey.SerializedSizeInBytes];
        SHA512.HashData(first, buffer);
        key.CopyTo(buffer[Sha512.HashSizeInBytes..]);
        for (int i = 1; i < iterations; i++)
        {
            SHA512.HashData(buffer, buffer[..Sha512.HashSizeInBytes]);
        }
        return buffer[..Sha512.HashSizeInBytes].ToArray();
    }

    /// <summary>Six 5-byte big-endian groups of the first 30 bytes, each mod 100,000, as 5 digits.</summary>
    private static string Digits(ReadOnlySpan<byte> fingerprint)
    {
        Span<byte> group = stackalloc byte[sizeof(ulong)];
        var digits = new System.Text.StringBuilder(DigitsPerParty);
        for (int offset = 0; offset < DigitsPerParty; offset += BytesPerGroup)
        {
            group.Clear();
            fingerprint.Slice(offset, BytesPerGroup).CopyTo(group[(sizeof(ulong) - BytesPerGroup)..]);
            ulong value = BinaryPrimitives.ReadUInt64BigEndian(group) % GroupModulus;
            digits.Append(value.ToString("D5", CultureInfo.InvariantCulture));
        }
        return digits.ToString();
    }
}
