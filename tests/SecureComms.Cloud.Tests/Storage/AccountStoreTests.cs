using SecureComms.Server.Storage;

namespace SecureComms.Cloud.Tests.Storage;

/// <summary>Accounts and sessions in <see cref="SqliteServerStore"/>.</summary>
public sealed class AccountStoreTests : StoreTestBase
{
    [Fact]
    public async Task An_account_is_created_once_per_name_and_found_by_name_and_id()
    {
        Account? alice = await Store.CreateAccountAsync("alice", "verifier-1");
        Assert.NotNull(alice);
        Assert.Equal("alice", alice.Username);
        Assert.Equal(Clock.GetUtcNow(), alice.CreatedAt);
        Assert.Null(await Store.CreateAccountAsync("alice", "verifier-2"));

        Assert.Equal(alice, await Store.FindAccountAsync("alice"));
        Assert.Equal(alice, await Store.GetAccountAsync(alice.Id));
        Assert.Null(await Store.FindAccountAsync("bob"));
        Assert.Null(await Store.GetAccountAsync(new UserId(999)));

        Account? bob = await Store.CreateAccountAsync("bob", "v");
        Assert.True(bob!.Id.Value > alice.Id.Value);
    }

    [Theory]
    [InlineData("Alice")]
    [InlineData("al ice")]
    [InlineData("a")]
    public async Task Names_that_are_not_normalized_are_refused(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateAccountAsync(name, "v"));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.FindAccountAsync(name));
    }

    [Fact]
    public async Task Updating_the_verifier_keeps_sessions_and_a_missing_account_is_reported()
    {
        UserId alice = await UserAsync("alice");
        byte[] hash = Hash(1);
        await Store.CreateSessionAsync(new SignInSession(hash, alice, Clock.GetUtcNow(), Clock.GetUtcNow().AddDays(1)));
        Assert.True(await Store.UpdatePasswordVerifierAsync(alice, "new-verifier"));
        Assert.Equal("new-verifier", (await Store.GetAccountAsync(alice))!.PasswordVerifier);
        Assert.NotNull(await Store.FindSessionAsync(hash));
        Assert.False(await Store.UpdatePasswordVerifierAsync(new UserId(999), "x"));
    }

    [Fact]
    public async Task A_session_is_found_by_its_hash_until_it_expires()
    {
        UserId alice = await UserAsync("alice");
        DateTimeOffset now = Clock.GetUtcNow();
        var session = new SignInSession(Hash(1), alice, now, now.AddHours(1));
        await Store.CreateSessionAsync(session);

        SignInSession? found = await Store.FindSessionAsync(Hash(1));
        Assert.NotNull(found);
        Assert.Equal(alice, found.User);
        Assert.Equal(now, found.CreatedAt);
        Assert.Equal(now.AddHours(1), found.ExpiresAt);
        Assert.Null(await Store.FindSessionAsync(Hash(2)));

        Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.NotNull(await Store.FindSessionAsync(Hash(1)));
        Clock.Advance(TimeSpan.FromMinutes(1)); // now == expiry: expired
        Assert.Null(await Store.FindSessionAsync(Hash(1)));
        Assert.Equal(1, await Store.DeleteExpiredSessionsAsync());
        Assert.Equal(0L, RawScalar("SELECT count(*) FROM sessions;"));
    }

    [Fact]
    public async Task Sessions_are_refused_for_missing_users_duplicate_hashes_bad_hashes_and_backwards_times()
    {
        UserId alice = await UserAsync("alice");
        DateTimeOffset now = Clock.GetUtcNow();
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CreateSessionAsync(new SignInSession(Hash(1), new UserId(999), now, now.AddHours(1))));
        await Store.CreateSessionAsync(new SignInSession(Hash(1), alice, now, now.AddHours(1)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CreateSessionAsync(new SignInSession(Hash(1), alice, now, now.AddHours(2))));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateSessionAsync(new SignInSession(new byte[31], alice, now, now.AddHours(1))));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateSessionAsync(new SignInSession(Hash(2), alice, now, now)));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.FindSessionAsync(new byte[33]));
    }

    [Fact]
    public async Task Revoking_one_session_leaves_the_others()
    {
        UserId alice = await UserAsync("alice");
        await CreateSessionsAsync(alice, 1, 2);
        Assert.True(await Store.RevokeSessionAsync(Hash(1)));
        Assert.False(await Store.RevokeSessionAsync(Hash(1)));
        Assert.Null(await Store.FindSessionAsync(Hash(1)));
        Assert.NotNull(await Store.FindSessionAsync(Hash(2)));
    }

    [Fact]
    public async Task Revoking_all_sessions_of_a_user_leaves_other_users_sessions()
    {
        UserId alice = await UserAsync("alice");
        UserId bob = await UserAsync("bob");
        await CreateSessionsAsync(alice, 1, 2, 3);
        await CreateSessionsAsync(bob, 4);
        Assert.Equal(3, await Store.RevokeAllSessionsAsync(alice));
        Assert.Null(await Store.FindSessionAsync(Hash(2)));
        Assert.NotNull(await Store.FindSessionAsync(Hash(4)));
    }

    [Fact]
    public async Task A_password_change_replaces_the_verifier_and_revokes_every_session_but_the_kept_one_atomically()
    {
        UserId alice = await UserAsync("alice");
        UserId bob = await UserAsync("bob");
        await CreateSessionsAsync(alice, 1, 2, 3);
        await CreateSessionsAsync(bob, 4);

        Assert.Equal(2, await Store.ChangePasswordAsync(alice, "changed", keepTokenHash: Hash(2)));
        Assert.Equal("changed", (await Store.GetAccountAsync(alice))!.PasswordVerifier);
        Assert.Null(await Store.FindSessionAsync(Hash(1)));
        Assert.NotNull(await Store.FindSessionAsync(Hash(2)));
        Assert.Null(await Store.FindSessionAsync(Hash(3)));
        Assert.NotNull(await Store.FindSessionAsync(Hash(4)));

        Assert.Equal(1, await Store.ChangePasswordAsync(alice, "again", keepTokenHash: null));
        Assert.Null(await Store.FindSessionAsync(Hash(2)));
        Assert.Equal(-1, await Store.ChangePasswordAsync(new UserId(999), "x", null));
    }

    [Fact]
    public async Task Accounts_and_sessions_survive_a_reopen()
    {
        UserId alice = await UserAsync("alice");
        await CreateSessionsAsync(alice, 7);
        Reopen();
        Assert.Equal(alice, (await Store.FindAccountAsync("alice"))!.Id);
        Assert.Equal(alice, (await Store.FindSessionAsync(Hash(7)))!.User);
    }

    private async Task CreateSessionsAsync(UserId user, params int[] seeds)
    {
        foreach (int seed in seeds)
        {
            await Store.CreateSessionAsync(new SignInSession(Hash(seed), user, Clock.GetUtcNow(), Clock.GetUtcNow().AddDays(30)));
        }
    }

    private static byte[] Hash(int seed)
    {
        byte[] hash = new byte[32];
        hash[0] = (byte)seed;
        hash[31] = 0xAA;
        return hash;
    }
}
