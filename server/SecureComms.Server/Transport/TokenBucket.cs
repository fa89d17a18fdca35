namespace SecureComms.Server.Transport;

/// <summary>
/// A token bucket: up to <c>capacity</c> requests at once, refilled continuously at <c>ratePerSecond</c>.
/// One per connection (<see cref="TransportLimits.RequestBurst"/>, <see cref="TransportLimits.RequestsPerSecond"/>).
/// </summary>
/// <remarks>Not thread-safe: used by its connection's read loop only. Time comes from a
/// <see cref="TimeProvider"/>, so tests can drive it.</remarks>
internal sealed class TokenBucket
{
    private readonly int _capacity;
    private readonly double _ratePerSecond;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _lastRefill;

    /// <summary>A full bucket.</summary>
    internal TokenBucket(int capacity, double ratePerSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ratePerSecond, 0);
        _capacity = capacity;
        _ratePerSecond = ratePerSecond;
        _time = time;
        _tokens = capacity;
        _lastRefill = time.GetTimestamp();
    }

    /// <summary>Takes one token: true if there was one.</summary>
    internal bool TryTake()
    {
        long now = _time.GetTimestamp();
        double elapsedSeconds = _time.GetElapsedTime(_lastRefill, now).TotalSeconds;
        _lastRefill = now;
        _tokens = Math.Min(_capacity, _tokens + (elapsedSeconds * _ratePerSecond));
        if (_tokens < 1)
        {
            return false;
        }
        _tokens -= 1;
        return true;
    }
}
