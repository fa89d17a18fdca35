using System.Net;

namespace SecureComms.Traversal.Stun;

/// <summary>
/// A token bucket per source IP address: what <see cref="StunServer"/> uses so one source cannot make it answer
/// (or spend work on) more than <see cref="RatePerSecond"/> requests a second, with bursts of <see cref="Burst"/>.
/// </summary>
/// <remarks>
/// <para><b>Bounded memory.</b> At most <see cref="MaxTrackedSources"/> addresses are tracked; when the table is
/// full, buckets that have refilled completely (idle sources) are dropped, and if none has, the new source is
/// refused until some do. A flood of spoofed sources therefore cannot grow the table, only get itself refused.</para>
/// <para><b>Hazard.</b> UDP source addresses are spoofable: the limiter caps the work per claimed address, and the
/// amplification bound of <see cref="StunServer"/> is what makes answering a spoofed address harmless.</para>
/// <para>Time is passed in (<see cref="TimeProvider"/> timestamps), so tests drive it deterministically. Not
/// thread-safe: the server calls it from its one receive loop.</para>
/// </remarks>
internal sealed class SourceRateLimiter(double ratePerSecond, int burst, int maxTrackedSources)
{
    private readonly Dictionary<IPAddress, (double Tokens, long Stamp)> _buckets = [];

    /// <summary>Tokens added per second per source.</summary>
    public double RatePerSecond { get; } = ratePerSecond > 0 ? ratePerSecond : throw new ArgumentOutOfRangeException(nameof(ratePerSecond));

    /// <summary>Bucket size: the requests a fresh or idle source may send at once.</summary>
    public int Burst { get; } = burst > 0 ? burst : throw new ArgumentOutOfRangeException(nameof(burst));

    /// <summary>Most addresses tracked at once.</summary>
    public int MaxTrackedSources { get; } = maxTrackedSources > 0 ? maxTrackedSources : throw new ArgumentOutOfRangeException(nameof(maxTrackedSources));

    /// <summary>Number of addresses tracked now.</summary>
    public int TrackedSources => _buckets.Count;

    /// <summary>Whether <paramref name="source"/> may have one more request at <paramref name="timestamp"/>
    /// (<see cref="TimeProvider.GetTimestamp"/> units, <paramref name="frequency"/> per second); takes a token if so.</summary>
    public bool TryAcquire(IPAddress source, long timestamp, long frequency)
    {
        if (!_buckets.TryGetValue(source, out var bucket))
        {
            if (_buckets.Count >= MaxTrackedSources && !EvictIdle(timestamp, frequency))
            {
                return false;
            }
            bucket = (Burst, timestamp);
        }
        double tokens = Math.Min(Burst, bucket.Tokens + Elapsed(bucket.Stamp, timestamp, frequency) * RatePerSecond);
        bool allowed = tokens >= 1;
        _buckets[source] = (allowed ? tokens - 1 : tokens, timestamp);
        return allowed;
    }

    private static double Elapsed(long from, long to, long frequency) => Math.Max(0, to - from) / (double)frequency;

    /// <summary>Drops every bucket that would be full again by now; true when any was dropped.</summary>
    private bool EvictIdle(long timestamp, long frequency)
    {
        var idle = _buckets
            .Where(b => b.Value.Tokens + Elapsed(b.Value.Stamp, timestamp, frequency) * RatePerSecond >= Burst)
            .Select(b => b.Key)
            .ToList();
        foreach (var address in idle)
        {
            _buckets.Remove(address);
        }
        return idle.Count > 0;
    }
}
