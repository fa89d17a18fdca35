namespace SecureComms.Crypto.Tests.Contracts;

/// <summary>
/// Byte helpers shared by <c>Contracts/</c> and <c>Properties/</c>: reproducible inputs, bit flips, and the
/// renderings a leaked secret would take in a string.
/// </summary>
internal static class TestBytes
{
    /// <summary>A value no correct code writes by accident: buffers are pre-filled with it before a call
    /// that must zero them.</summary>
    public const byte Poison = 0xA5;

    /// <summary><paramref name="length"/> pseudo-random bytes from <paramref name="seed"/>: a failure reproduces.</summary>
    public static byte[] Seeded(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary><paramref name="length"/> bytes of <see cref="Poison"/>.</summary>
    public static byte[] Poisoned(int length) => Enumerable.Repeat(Poison, length).ToArray();

    /// <summary>A copy of <paramref name="value"/> with bit <paramref name="bit"/> (0 = LSB of byte 0) flipped.</summary>
    public static byte[] FlipBit(byte[] value, int bit)
    {
        byte[] copy = [.. value];
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    /// <summary>Decodes hex (either case); for constants transcribed from a spec.</summary>
    public static byte[] FromHex(string hex) => Convert.FromHexString(hex);

    /// <summary>True when <paramref name="text"/> holds <paramref name="secret"/> in any usual rendering:
    /// hex (lower, upper, dashed), base64 or base64url.</summary>
    public static bool Reveals(string text, ReadOnlySpan<byte> secret)
    {
        string base64 = Convert.ToBase64String(secret);
        string[] renderings =
        [
            Convert.ToHexStringLower(secret),
            Convert.ToHexString(secret),
            BitConverter.ToString(secret.ToArray()),
            base64,
            base64.TrimEnd('=').Replace('+', '-').Replace('/', '_'),
        ];
        return renderings.Any(r => text.Contains(r, StringComparison.Ordinal));
    }

    /// <summary>True when every byte is zero (test-side check, not fixed time).</summary>
    public static bool IsAllZero(ReadOnlySpan<byte> value) => value.IndexOfAnyExcept((byte)0) < 0;

    /// <summary>The full HMAC-SHA256 of <paramref name="data"/> under <paramref name="key"/>, via <see cref="HmacSha256.Compute"/>.</summary>
    public static byte[] Mac(byte[] key, byte[] data)
    {
        var mac = new byte[HmacSha256.MacSizeInBytes];
        HmacSha256.Compute(key, data, mac);
        return mac;
    }
}
