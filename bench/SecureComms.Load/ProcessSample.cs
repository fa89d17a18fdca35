using System.Globalization;

namespace SecureComms.Load;

/// <summary>
/// One reading of another process's CPU time and memory from <c>/proc/PID</c>, taken the same way for our server
/// and for Prosody (bench/load/driver.mjs reads the same fields).
/// </summary>
/// <remarks>
/// <para><b>Fields.</b> CPU: <c>utime + stime</c> (fields 14 and 15 of <c>/proc/PID/stat</c>, in clock ticks of
/// <see cref="ClockTicksPerSecond"/>); children are not counted (neither server forks). Memory: <c>VmRSS</c>
/// (resident now) and <c>VmHWM</c> (the peak resident size since the process started) of
/// <c>/proc/PID/status</c>, in kB (1,024 bytes).</para>
/// <para><b>Hazard.</b> Linux only. The process must outlive the reading; a vanished process throws
/// <see cref="IOException"/> (the run fails rather than reporting zeros).</para>
/// </remarks>
internal sealed record ProcessSample(double CpuSeconds, long RssBytes, long PeakRssBytes, long TimestampTicks)
{
    /// <summary>USER_HZ: 100 on every Linux architecture .NET runs on (what <c>getconf CLK_TCK</c> prints).</summary>
    public const int ClockTicksPerSecond = 100;

    private const int BytesPerKilobyte = 1024;

    /// <summary>Index of utime among the fields after the command name (field 14 overall; the name is field 2).</summary>
    private const int UtimeIndexAfterName = 11;

    /// <summary>Reads <c>/proc/<paramref name="pid"/></c> now.</summary>
    public static ProcessSample Read(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: split after its closing one.
        string[] rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(rest[UtimeIndexAfterName], CultureInfo.InvariantCulture)
            + long.Parse(rest[UtimeIndexAfterName + 1], CultureInfo.InvariantCulture);
        long rss = 0;
        long peak = 0;
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line);
            }
        }
        return new ProcessSample((double)ticks / ClockTicksPerSecond, rss, peak, System.Diagnostics.Stopwatch.GetTimestamp());
    }

    /// <summary>CPU seconds used between <paramref name="start"/> and this sample.</summary>
    public double CpuSecondsSince(ProcessSample start) => CpuSeconds - start.CpuSeconds;

    /// <summary>Wall-clock seconds between <paramref name="start"/> and this sample.</summary>
    public double WallSecondsSince(ProcessSample start) =>
        System.Diagnostics.Stopwatch.GetElapsedTime(start.TimestampTicks, TimestampTicks).TotalSeconds;

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * BytesPerKilobyte;
}
