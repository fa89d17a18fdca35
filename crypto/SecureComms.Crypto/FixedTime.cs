using System.Security.Cryptography;

namespace SecureComms.Crypto;

/// <summary>
/// Fixed-time comparison, the only way MACs, tags and keys are compared in SecureComms (STYLE.md §9).
/// </summary>
/// <remarks>
/// A thin name over <see cref="CryptographicOperations.FixedTimeEquals"/>: the running time depends on the
/// length of the inputs, never on their contents. Lengths are public.
/// </remarks>
public static class FixedTime
{
    /// <summary>True when both spans have the same length and the same bytes, in time independent of the bytes.</summary>
    public static bool Equals(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) =>
        CryptographicOperations.FixedTimeEquals(left, right);

    /// <summary>True when every byte is zero, in time independent of the bytes.</summary>
    public static bool IsAllZero(ReadOnlySpan<byte> value)
    {
        int accumulator = 0;
        foreach (byte b in value)
        {
            accumulator |= b;
        }
        return accumulator == 0;
    }
}
