namespace SecureComms.Vectors;

/// <summary>Total hexadecimal decoder for vector files: malformed input is a false return, never an exception.</summary>
public static class Hex
{
    /// <summary>Longest hex string accepted (characters): 16 MiB of output.</summary>
    public const int MaxLength = 32 * 1024 * 1024;

    /// <summary>Decodes an even-length string of hex digits (either case).</summary>
    public static bool TryDecode(ReadOnlySpan<char> hex, out byte[] bytes)
    {
        bytes = [];
        if (hex.Length % 2 != 0 || hex.Length > MaxLength)
        {
            return false;
        }
        var result = new byte[hex.Length / 2];
        for (int i = 0; i < result.Length; i++)
        {
            int high = Nibble(hex[2 * i]);
            int low = Nibble(hex[2 * i + 1]);
            if ((high | low) < 0)
            {
                return false;
            }
            result[i] = (byte)((high << 4) | low);
        }
        bytes = result;
        return true;
    }

    private static int Nibble(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
