using System.Buffers;
using System.Text;
using SecureComms.Vectors;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// Fuzz target <c>hex</c>: <see cref="Hex.TryDecode"/> on the input read as Latin-1 (every byte a char,
/// U+0000..U+00FF) and as UTF-8 (invalid sequences become U+FFFD).
/// </summary>
/// <remarks>
/// Oracle: the result agrees with the runtime's own decoder (<see cref="Convert.FromHexString(ReadOnlySpan{char}, Span{byte}, out int, out int)"/>):
/// true with the same bytes exactly when that decoder consumes the whole string, otherwise false with an
/// empty array. No exception may escape.
/// </remarks>
public static class HexTarget
{
    /// <summary>The target's name on the command line and in <c>fuzz/corpus/</c>.</summary>
    public const string Name = "hex";

    /// <summary>Runs one input.</summary>
    public static void Target(ReadOnlySpan<byte> data)
    {
        Check(Encoding.Latin1.GetString(data));
        Check(Encoding.UTF8.GetString(data));
    }

    private static void Check(string text)
    {
        bool decoded = Hex.TryDecode(text, out byte[] bytes);
        var expected = new byte[text.Length / 2];
        bool expectedDecoded = text.Length % 2 == 0
            && Convert.FromHexString(text, expected, out _, out int written) == OperationStatus.Done
            && written == expected.Length;
        FuzzFindingException.Require(decoded == expectedDecoded, "TryDecode succeeds exactly on even-length hex digit strings");
        FuzzFindingException.Require(
            decoded ? bytes.AsSpan().SequenceEqual(expected) : bytes.Length == 0,
            "TryDecode yields the runtime decoder's bytes on success and an empty array on failure");
    }
}
