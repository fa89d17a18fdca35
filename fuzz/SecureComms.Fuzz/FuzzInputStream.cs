namespace SecureComms.Fuzz;

/// <summary>Reads one fuzz input from the stream SharpFuzz hands a target, into a buffer reused across
/// inputs (the fork server runs one input at a time).</summary>
internal static class FuzzInputStream
{
    /// <summary>Largest input read: 1 MiB, afl-fuzz's own input size limit (MAX_FILE); bytes past it are
    /// ignored rather than buffered without bound.</summary>
    internal const int MaxSizeInBytes = 1024 * 1024;

    private static readonly byte[] Buffer = new byte[MaxSizeInBytes];

    /// <summary>The stream's bytes, at most <see cref="MaxSizeInBytes"/>; valid until the next call.</summary>
    internal static ReadOnlySpan<byte> ReadAll(Stream stream)
    {
        int length = stream.ReadAtLeast(Buffer, Buffer.Length, throwOnEndOfStream: false);
        return Buffer.AsSpan(0, length);
    }
}
