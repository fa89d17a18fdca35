namespace SecureComms.Fuzz.Cloud;

/// <summary>
/// A clock that moves only when told (<see cref="Advance"/>), for the <c>cloud-handlers</c> target: every input
/// starts at the same instant, so stored times, session expiry and rate-limit refills are the same on every
/// run, and timers (the call ring timeout) fire on the fuzzer's action, on the fuzzing thread, never in the
/// background.
/// </summary>
/// <remarks>
/// <see cref="TimeProvider.GetTimestamp"/> is derived from the same instant (ticks, 100 ns), so token buckets
/// refill exactly as far as the clock was advanced. Timers fire in due order, each at most once per
/// <see cref="Advance"/> (a periodic timer is re-armed for the next advance); a callback that throws escapes
/// <see cref="Advance"/>, which is what a fuzz target wants. Not thread-safe: one input runs at a time.
/// </remarks>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _now;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override long GetTimestamp() => _now.UtcTicks;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        _timers.Add(timer);
        return timer;
    }

    /// <summary>Moves the clock forward by <paramref name="by"/> and fires the timers that fell due, in due order.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        _now += by;
        _timers.RemoveAll(t => t.DueAt is null);
        foreach (ManualTimer timer in _timers.Where(t => t.DueAt <= _now).OrderBy(t => t.DueAt).ToList())
        {
            if (timer.DueAt is { } due && due <= _now)
            {
                timer.DueAt = timer.Period is { } period ? _now + period : null;
                timer.Fire();
            }
        }
    }

    /// <summary>A timer of <see cref="ManualClock"/>: armed at an instant of that clock, or disarmed (null).</summary>
    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan? Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock._now + dueTime;
            Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => DueAt = null;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
