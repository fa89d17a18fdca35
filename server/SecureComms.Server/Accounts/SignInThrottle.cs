using System.Net;
using System.Net.Sockets;

namespace SecureComms.Server.Accounts;

/// <summary>
/// Sign-in throttling in memory: failures are counted per account and per source address, and after a few
/// free failures each further one doubles the wait before the next attempt, up to a cap.
/// </summary>
/// <remarks>
/// <para><b>Schedule.</b> A key with n failures may try again immediately while n ≤ its free failures
/// (<see cref="AccountFreeFailures"/>, <see cref="AddressFreeFailures"/>), else after
/// <see cref="BaseDelay"/> × 2^(n − free − 1), at most <see cref="MaxDelay"/>, counted from the last failure.
/// A success clears the account's count (not the address's: one valid account must not reset an attacker's
/// address). A key's failures are forgotten <see cref="ForgetAfter"/> after its last failure.</para>
/// <para><b>Concurrency.</b> <see cref="TryBegin"/> admits at most one attempt per account at a time and
/// <see cref="MaxConcurrentPerAddress"/> per address, so a burst of parallel guesses cannot all slip in before
/// the first failure is counted. Every admitted attempt must end with exactly one <see cref="End"/>.</para>
/// <para><b>Keys.</b> Accounts by normalized username, whether or not the account exists (throttling must not
/// reveal existence). Addresses: IPv4 (also IPv4-mapped IPv6) per address; IPv6 per /64, since one host
/// commonly holds a whole /64.</para>
/// <para><b>Hazards.</b> Per-account backoff lets anyone slow down a victim's sign-ins (at most
/// <see cref="MaxDelay"/> at a time): the price of slowing guessing (NIST SP 800-63B §5.2.2 allows it). State
/// is per process and lost on restart; a cluster needs a shared store. Memory: one entry per key seen in the
/// last <see cref="ForgetAfter"/>, swept every <see cref="SweepInterval"/>.</para>
/// </remarks>
public sealed class SignInThrottle
{
    /// <summary>Failures an account may have before backoff starts: 5.</summary>
    public const int AccountFreeFailures = 5;

    /// <summary>Failures an address may have before backoff starts: 20 (several users may share an address).</summary>
    public const int AddressFreeFailures = 20;

    /// <summary>Concurrent attempts admitted per address: 4.</summary>
    public const int MaxConcurrentPerAddress = 4;

    /// <summary>The first backoff: 1 s.</summary>
    public static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1);

    /// <summary>The longest backoff: 15 minutes.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    /// <summary>Failures are forgotten this long after a key's last failure: 24 hours.</summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(24);

    /// <summary>What a refused concurrent attempt is told to wait: 1 s.</summary>
    public static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>How often forgotten entries are swept: every 10 minutes.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(10);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private DateTimeOffset _lastSweep;

    /// <summary>Creates a throttle on <paramref name="time"/> (default: the system clock).</summary>
    public SignInThrottle(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _lastSweep = _time.GetUtcNow();
    }

    /// <summary>The wait before the next attempt after <paramref name="failures"/> failures with <paramref name="free"/> free ones.</summary>
    public static TimeSpan DelayAfter(int failures, int free)
    {
        int excess = failures - free;
        if (excess <= 0)
        {
            return TimeSpan.Zero;
        }
        int doublings = Math.Min(excess - 1, 30); // 2^30 s already exceeds MaxDelay
        TimeSpan delay = TimeSpan.FromTicks(checked(BaseDelay.Ticks * (1L << doublings)));
        return delay < MaxDelay ? delay : MaxDelay;
    }

    /// <summary>Admits an attempt, or refuses it with how long to wait.</summary>
    /// <param name="account">The normalized username, or null when the input is no valid username (then only the address counts).</param>
    /// <param name="source">The client's address.</param>
    /// <param name="retryAfter">When refused: the wait; else zero.</param>
    public bool TryBegin(string? account, IPAddress source, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (_lock)
        {
            DateTimeOffset now = _time.GetUtcNow();
            Sweep(now);
            Entry? accountEntry = account is null ? null : Get(AccountKey(account));
            Entry addressEntry = Get(AddressKey(source));
            TimeSpan wait = Max(Remaining(accountEntry, AccountFreeFailures, now), Remaining(addressEntry, AddressFreeFailures, now));
            if (wait == TimeSpan.Zero && ((accountEntry?.InFlight ?? 0) >= 1 || addressEntry.InFlight >= MaxConcurrentPerAddress))
            {
                wait = BusyRetryAfter;
            }
            retryAfter = wait;
            if (wait > TimeSpan.Zero)
            {
                return false;
            }
            if (accountEntry is not null)
            {
                accountEntry.InFlight++;
            }
            addressEntry.InFlight++;
            return true;
        }
    }

    /// <summary>Ends an attempt admitted by <see cref="TryBegin"/> with the same arguments.</summary>
    /// <param name="account">As passed to <see cref="TryBegin"/>.</param>
    /// <param name="source">As passed to <see cref="TryBegin"/>.</param>
    /// <param name="succeeded">True: the password was right; false: a failure to count; null: the attempt
    /// was abandoned before a verdict (a storage error), nothing counted.</param>
    public void End(string? account, IPAddress source, bool? succeeded)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (_lock)
        {
            DateTimeOffset now = _time.GetUtcNow();
            Entry? accountEntry = account is null ? null : Get(AccountKey(account));
            Entry addressEntry = Get(AddressKey(source));
            if (accountEntry is not null)
            {
                accountEntry.InFlight = Math.Max(0, accountEntry.InFlight - 1);
            }
            addressEntry.InFlight = Math.Max(0, addressEntry.InFlight - 1);
            if (succeeded == true)
            {
                if (accountEntry is not null)
                {
                    accountEntry.Failures = 0;
                }
            }
            else if (succeeded == false)
            {
                if (accountEntry is not null)
                {
                    accountEntry.Fail(now);
                }
                addressEntry.Fail(now);
            }
        }
    }

    /// <summary>The number of keys tracked (for tests and metrics).</summary>
    public int TrackedKeys
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The address key: IPv4 as is (IPv4-mapped IPv6 unwrapped), IPv6 its /64 prefix.</summary>
    internal static string AddressKey(IPAddress source)
    {
        IPAddress address = source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            byte[] bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return "a6:" + new IPAddress(bytes) + "/64";
        }
        return "a4:" + address;
    }

    private static string AccountKey(string account) => "u:" + account;

    private Entry Get(string key)
    {
        if (!_entries.TryGetValue(key, out Entry? entry))
        {
            entry = new Entry();
            _entries.Add(key, entry);
        }
        return entry;
    }

    private static TimeSpan Remaining(Entry? entry, int free, DateTimeOffset now)
    {
        if (entry is null || entry.Failures <= free)
        {
            return TimeSpan.Zero;
        }
        TimeSpan remaining = entry.LastFailure + DelayAfter(entry.Failures, free) - now;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private void Sweep(DateTimeOffset now)
    {
        if (now - _lastSweep < SweepInterval)
        {
            return;
        }
        _lastSweep = now;
        foreach ((string key, Entry entry) in _entries.ToArray())
        {
            if (entry.InFlight == 0 && (entry.Failures == 0 || now - entry.LastFailure >= ForgetAfter))
            {
                _entries.Remove(key);
            }
        }
    }

    private sealed class Entry
    {
        public int Failures { get; set; }

        public int InFlight { get; set; }

        public DateTimeOffset LastFailure { get; private set; }

        public void Fail(DateTimeOffset now)
        {
            if (Failures > 0 && now - LastFailure >= ForgetAfter)
            {
                Failures = 0; // the old streak is forgotten even before a sweep removes the entry
            }
            Failures = Failures == int.MaxValue ? Failures : Failures + 1;
            LastFailure = now;
        }
    }
}
