using System.Net;
using SecureComms.Cloud.Tests.Storage;
using SecureComms.Server.Accounts;

namespace SecureComms.Cloud.Tests.Accounts;

public sealed class SignInThrottleTests
{
    private static readonly IPAddress Home = IPAddress.Parse("192.0.2.10");
    private readonly ManualTimeProvider _clock = new();
    private readonly SignInThrottle _throttle;

    public SignInThrottleTests() => _throttle = new SignInThrottle(_clock);

    [Fact]
    public void The_backoff_doubles_after_the_free_failures_up_to_the_cap()
    {
        int free = SignInThrottle.AccountFreeFailures;
        Assert.Equal(5, free);
        for (int n = 0; n <= free; n++)
        {
            Assert.Equal(TimeSpan.Zero, SignInThrottle.DelayAfter(n, free));
        }
        Assert.Equal(TimeSpan.FromSeconds(1), SignInThrottle.DelayAfter(free + 1, free));
        Assert.Equal(TimeSpan.FromSeconds(2), SignInThrottle.DelayAfter(free + 2, free));
        Assert.Equal(TimeSpan.FromSeconds(4), SignInThrottle.DelayAfter(free + 3, free));
        Assert.Equal(TimeSpan.FromSeconds(512), SignInThrottle.DelayAfter(free + 10, free));
        Assert.Equal(TimeSpan.FromMinutes(15), SignInThrottle.DelayAfter(free + 11, free)); // 1024 s > 900 s
        Assert.Equal(SignInThrottle.MaxDelay, SignInThrottle.DelayAfter(int.MaxValue, free));
    }

    [Fact]
    public void An_account_is_throttled_on_the_schedule_after_its_free_failures()
    {
        for (int i = 0; i < SignInThrottle.AccountFreeFailures; i++)
        {
            Fail("alice", Home);
        }
        Assert.True(Allowed("alice", Home, out _)); // the 5 free failures cost nothing
        _throttle.End("alice", Home, false); // 6th failure

        Assert.False(Allowed("alice", Home, out TimeSpan wait));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
        Assert.False(Allowed("alice", IPAddress.Parse("198.51.100.7"), out _)); // from anywhere
        Assert.True(Allowed("bob", Home, out _)); // others are not affected
        _throttle.End("bob", Home, null);

        _clock.Advance(TimeSpan.FromMilliseconds(400));
        Assert.False(Allowed("alice", Home, out wait));
        Assert.Equal(TimeSpan.FromMilliseconds(600), wait);
        _clock.Advance(TimeSpan.FromMilliseconds(600));
        Fail("alice", Home); // 7th

        Assert.False(Allowed("alice", Home, out wait));
        Assert.Equal(TimeSpan.FromSeconds(2), wait);
    }

    [Fact]
    public void A_success_clears_the_account_but_not_the_address()
    {
        for (int i = 0; i < SignInThrottle.AccountFreeFailures + 1; i++)
        {
            Fail("alice", Home);
        }
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Allowed("alice", Home, out _));
        _throttle.End("alice", Home, true);
        for (int i = 0; i < SignInThrottle.AccountFreeFailures; i++)
        {
            Fail("alice", Home); // free again
        }

        // The address kept counting: 6 + 5 = 11 of its 20 free failures.
        for (int i = 0; i < SignInThrottle.AddressFreeFailures - 11; i++)
        {
            Fail("user" + i, Home);
        }
        Assert.True(Allowed("fresh", Home, out _));
        _throttle.End("fresh", Home, false); // 21st failure from the address
        Assert.False(Allowed("other", Home, out TimeSpan wait));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
    }

    [Fact]
    public void An_address_guessing_across_many_accounts_is_throttled_also_for_malformed_names()
    {
        for (int i = 0; i < SignInThrottle.AddressFreeFailures + 1; i++)
        {
            Fail(i % 2 == 0 ? null : "victim" + i, Home);
        }
        Assert.False(Allowed(null, Home, out _));
        Assert.False(Allowed("someone", Home, out _));
        Assert.True(Allowed("someone", IPAddress.Parse("192.0.2.11"), out _));
    }

    [Fact]
    public void Ipv6_addresses_count_per_64_prefix_and_mapped_ipv4_counts_as_ipv4()
    {
        Assert.Equal(SignInThrottle.AddressKey(IPAddress.Parse("2001:db8:1:2::1")), SignInThrottle.AddressKey(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.NotEqual(SignInThrottle.AddressKey(IPAddress.Parse("2001:db8:1:2::1")), SignInThrottle.AddressKey(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal(SignInThrottle.AddressKey(Home), SignInThrottle.AddressKey(Home.MapToIPv6()));
        Assert.NotEqual(SignInThrottle.AddressKey(Home), SignInThrottle.AddressKey(IPAddress.Parse("192.0.2.11")));
    }

    [Fact]
    public void One_attempt_per_account_at_a_time_and_a_few_per_address()
    {
        Assert.True(Allowed("alice", Home, out _));
        Assert.False(Allowed("alice", IPAddress.Parse("198.51.100.7"), out TimeSpan wait));
        Assert.Equal(SignInThrottle.BusyRetryAfter, wait);
        _throttle.End("alice", Home, null);
        Assert.True(Allowed("alice", Home, out _));
        _throttle.End("alice", Home, null);

        for (int i = 0; i < SignInThrottle.MaxConcurrentPerAddress; i++)
        {
            Assert.True(Allowed("user" + i, Home, out _));
        }
        Assert.False(Allowed("one-more", Home, out _));
        _throttle.End("user0", Home, null);
        Assert.True(Allowed("one-more", Home, out _));
    }

    [Fact]
    public void Failures_are_forgotten_after_a_day_and_swept()
    {
        for (int i = 0; i < SignInThrottle.AccountFreeFailures + 1; i++)
        {
            Fail("alice", Home);
        }
        Assert.False(Allowed("alice", Home, out _));
        Assert.Equal(2, _throttle.TrackedKeys);
        _clock.Advance(SignInThrottle.ForgetAfter);
        Assert.True(Allowed("bob", IPAddress.Parse("198.51.100.7"), out _)); // triggers the sweep
        _throttle.End("bob", IPAddress.Parse("198.51.100.7"), null);
        Assert.Equal(2, _throttle.TrackedKeys); // alice and home are gone; bob and his address are new
        for (int i = 0; i < SignInThrottle.AccountFreeFailures; i++)
        {
            Fail("alice", Home); // a fresh streak: free again
        }
    }

    private bool Allowed(string? account, IPAddress source, out TimeSpan wait) => _throttle.TryBegin(account, source, out wait);

    private void Fail(string? account, IPAddress source)
    {
        Assert.True(_throttle.TryBegin(account, source, out TimeSpan wait), $"refused, wait {wait}");
        _throttle.End(account, source, false);
    }
}
