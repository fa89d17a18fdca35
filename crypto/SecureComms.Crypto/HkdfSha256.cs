using System.Security.Cryptography;

namespace SecureComms.Crypto;

/// <summary>
/// HKDF with HMAC-SHA256: extract a pseudorandom key from input keying material, expand it to the length
/// needed. OKM = HKDF-Expand(HKDF-Extract(salt, IKM), info, L).
/// </summary>
/// <remarks>
/// <para><b>References.</b> RFC 5869 §2.2 (Extract), §2.3 (Expand), Appendix A (test cases).</para>
/// <para><b>Parameters.</b> PRK <see cref="PrkSizeInBytes"/> = 32; output at most
/// <see cref="MaxOutputSizeInBytes"/> = 255 × 32 bytes (RFC 5869 §2.3); an empty salt means 32 zero bytes.</para>
/// <para><b>Implementation.</b> <see cref="HKDF"/>.</para>
/// <para><b>Hazards.</b> Use distinct <c>info</c> strings for distinct keys. Wipe output buffers that hold
/// keys once they are in a container.</para>
/// </remarks>
public static class HkdfSha256
{
    /// <summary>Pseudorandom key size: 256 bits.</summary>
    public const int PrkSizeInBytes = 256 / 8;

    /// <summary>Largest output: 255 blocks of 32 bytes (RFC 5869 §2.3).</summary>
    public const int MaxOutputSizeInBytes = 255 * PrkSizeInBytes;

    /// <summary>Extract then expand into <paramref name="output"/> (1 to 8,160 bytes).</summary>
    public static void DeriveKey(ReadOnlySpan<byte> inputKeyingMaterial, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> output)
    {
        CheckOutput(output);
        HKDF.DeriveKey(HashAlgorithmName.SHA256, inputKeyingMaterial, output, salt, info);
    }

    /// <summary>RFC 5869 §2.2: PRK = HMAC-SHA256(salt, IKM).</summary>
    public static void Extract(ReadOnlySpan<byte> inputKeyingMaterial, ReadOnlySpan<byte> salt, Span<byte> pseudorandomKey)
    {
        if (pseudorandomKey.Length != PrkSizeInBytes)
        {
            throw new ArgumentException($"PRK must be {PrkSizeInBytes} bytes.", nameof(pseudorandomKey));
        }
        HKDF.Extract(HashAlgorithmName.SHA256, inputKeyingMaterial, salt, pseudorandomKey);
    }

    /// <summary>RFC 5869 §2.3: OKM = T(1) ‖ T(2) ‖ … truncated to the output length.</summary>
    public static void Expand(ReadOnlySpan<byte> pseudorandomKey, ReadOnlySpan<byte> info, Span<byte> output)
    {
        if (pseudorandomKey.Length < PrkSizeInBytes)
        {
            throw new ArgumentException($"PRK must be at least {PrkSizeInBytes} bytes.", nameof(pseudorandomKey));
        }
        CheckOutput(output);
        HKDF.Expand(HashAlgorithmName.SHA256, pseudorandomKey, output, info);
    }

    private static void CheckOutput(Span<byte> output)
    {
        if (output.IsEmpty || output.Length > MaxOutputSizeInBytes)
        {
            throw new ArgumentException($"Output must be 1 to {MaxOutputSizeInBytes} bytes.", nameof(output));
        }
    }
}
