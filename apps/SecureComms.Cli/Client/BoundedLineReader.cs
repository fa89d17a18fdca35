using System.Buffers;
using System.Text;

namespace SecureComms.Cli.Client;

/// <summary>
/// Reads UTF-8 lines (ended by LF, an optional CR before it dropped) from a stream, each at most
/// <see cref="MaxLineSizeInBytes"/>: a longer line is skipped to its end and reported as <see cref="LineStatus.TooLong"/>,
/// without ever holding more than the bound.
/// </summary>
internal sealed class BoundedLineReader(Stream input)
{
    /// <summary>A JSON-RPC request line may be 1 MiB (a message body is at most 64 KiB; the rest is slack).</summary>
    public const int MaxLineSizeInBytes = 1024 * 1024;

    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>What <see cref="ReadAsync"/> found.</summary>
    public enum LineStatus
    {
        /// <summary>A line (possibly empty).</summary>
        Line,

        /// <summary>A line over the bound, skipped.</summary>
        TooLong,

        /// <summary>The input ended (a last line without LF is returned first as a line).</summary>
        End,
    }

    /// <summary>The next line.</summary>
    public async Task<(LineStatus Status, string? Line)> ReadAsync(CancellationToken cancellationToken)
    {
        var line = new ArrayBufferWriter<byte>();
        bool tooLong = false;
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await input.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
                if (_end == 0)
                {
                    return tooLong ? (LineStatus.TooLong, null) : line.WrittenCount > 0 ? (LineStatus.Line, Decode(line.WrittenSpan)) : (LineStatus.End, null);
                }
            }
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            int take = (newline < 0 ? _end : newline) - _start;
            if (!tooLong && line.WrittenCount + take > MaxLineSizeInBytes)
            {
                tooLong = true;
                line.Clear();
            }
            if (!tooLong)
            {
                line.Write(_buffer.AsSpan(_start, take));
            }
            _start += take;
            if (newline >= 0)
            {
                _start++;
                return tooLong ? (LineStatus.TooLong, null) : (LineStatus.Line, Decode(line.WrittenSpan));
            }
        }
    }

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }
        return Encoding.UTF8.GetString(bytes);
    }
}
