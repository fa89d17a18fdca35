namespace SecureComms.Load;

/// <summary>
/// Delivery latencies of one run, in milliseconds: receive time − send time on the same process clock
/// (<see cref="System.Diagnostics.Stopwatch"/>), the send time carried in the message body.
/// </summary>
/// <remarks>Percentiles by the nearest-rank method on the sorted sample (p99 of 10,000 latencies is the 9,900th);
/// driver.mjs computes them the same way.</remarks>
internal static class LatencySample
{
    /// <summary>The <paramref name="percent"/> percentile of <paramref name="sorted"/> (ascending, non-empty).</summary>
    public static double Percentile(double[] sorted, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Length);
        int rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
