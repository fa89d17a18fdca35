using System.Collections.Concurrent;
using SecureComms.Server.Transport;

namespace SecureComms.Server.Services;

/// <summary>A token bucket per key (a source address, a user), thread-safe.</summary>
/// <remarks>Memory: one bucket per key seen; past <see cref="ServiceLimits.MaxTrackedBuckets"/> keys the table is
/// cleared (every key starts again with a full bucket: a bounded leak of allowance, never of memory).</remarks>
internal sealed class RateLimiter<TKey>(int burst, double perSecond, TimeProvider time)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TokenBucket> _buckets = new();

    /// <summary>Takes one token from <paramref name="key"/>'s bucket: false when it is empty.</summary>
    public bool TryTake(TKey key)
    {
        if (_buckets.Count >= ServiceLimits.MaxTrackedBuckets)
        {
            _buckets.Clear();
        }
        TokenBucket bucket = _buckets.GetOrAdd(key, _ => new TokenBucket(burst, perSecond, time));
        lock (bucket)
        {
            return bucket.TryTake();
        }
    }
}
