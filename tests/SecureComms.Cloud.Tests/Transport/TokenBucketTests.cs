using SecureComms.Server.Transport;

namespace SecureComms.Cloud.Tests.Transport;

/// <summary>The rate limiter on a clock the test moves.</summary>
public sealed class TokenBucketTests
{
    [Fact]
    public void A_full_bucket_gives_its_burst_then_refills_at_its_rate()
    {
        var clock = new ManualClock();
        var bucket = new TokenBucket(capacity: 3, ratePerSecond: 2, clock);

        Assert.True(bucket.TryTake());
        Assert.True(bucket.TryTake());
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());

        clock.Advance(TimeSpan.FromMilliseconds(400)); // 0.8 token
        Assert.False(bucket.TryTake());
        clock.Advance(TimeSpan.FromMilliseconds(100)); // 1.0 token
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());

        clock.Advance(TimeSpan.FromHours(1)); // capped at the capacity
        Assert.True(bucket.TryTake());
        Assert.True(bucket.TryTake());
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
