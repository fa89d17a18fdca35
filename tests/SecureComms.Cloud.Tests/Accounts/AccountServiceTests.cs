using System.Net;
using SecureComms.Cloud.Tests.Storage;
using SecureComms.Server.Accounts;
using SecureComms.Server.Storage;

namespace SecureComms.Cloud.Tests.Accounts;

/// <summary><see cref="AccountService"/> over a real SQLite store, with fast Argon2id parameters and a manual clock.</summary>
public sealed class AccountServiceTests : IDisposable
{
    private const string Password = "correct horse battery staple";
    private const string NewPassword = "a brand new passphrase, longer";
    private static readonly IPAddress Source = IPAddress.Parse("192.0.2.1");

    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = new();
    private readonly SqliteServerStore _store;
    private readonly PasswordVerifier _passwords = new(PasswordVerifierTests.Fast);
    private readonly AccountService _service;

    public AccountServiceTests()
    {
        _store = SqliteServerStore.Create(_directory.File("server.db"), _clock);
        _service = new AccountService(_store, _passwords, new SignInThrottle(_clock), _clock);
    }

    [Fact]
    public async Task Register_normalizes_the_name_and_stores_only_a_verifier()
    {
        AccountResult<UserId> registered = await _service.RegisterAsync("Alice.Smith", Password);
        Assert.True(registered.Succeeded);
        Account account = (await _store.FindAccountAsync("alice.smith"))!;
        Assert.Equal(registered.Value, account.Id);
        Assert.StartsWith("$argon2id$v=19$m=8192,t=1,p=1$", account.PasswordVerifier, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, account.PasswordVerifier, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_refuses_taken_names_case_insensitively_without_hashing()
    {
        await _service.RegisterAsync("alice", Password);
        long before = _passwords.Derivations;
        Assert.Equal(AccountError.UsernameTaken, (await _service.RegisterAsync("ALICE", NewPassword)).Error);
        Assert.Equal(before, _passwords.Derivations);
    }

    [Theory]
    [InlineData("al")]
    [InlineData("al ice")]
    [InlineData("\u212Aelvin")]
    [InlineData("-alice")]
    public async Task Register_refuses_invalid_names(string name)
    {
        Assert.Equal(AccountError.InvalidUsername, (await _service.RegisterAsync(name, Password)).Error);
    }

    [Theory]
    [InlineData("fourteen chars")] // 14
    [InlineData("aliceandbobxyz1")] // 15, but see the name below
    [InlineData("\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00")] // 7 emoji: 14 UTF-16 units, 7 characters
    public async Task Register_refuses_weak_passwords(string password)
    {
        Assert.Equal(AccountError.WeakPassword, (await _service.RegisterAsync("aliceandbobxyz1", password)).Error);
    }

    [Fact]
    public async Task Register_refuses_passwords_that_are_not_valid_utf16()
    {
        // Built in code: attribute arguments cannot carry a lone surrogate (metadata stores them as UTF-8).
        string loneSurrogate = "abcdefghijklmnop" + (char)0xD800;
        Assert.Equal(AccountError.WeakPassword, (await _service.RegisterAsync("alice", loneSurrogate)).Error);
    }

    [Fact]
    public async Task Password_length_bounds_are_15_and_256_characters()
    {
        Assert.Equal(15, PasswordPolicy.MinLength);
        Assert.Equal(256, PasswordPolicy.MaxLength);
        Assert.True((await _service.RegisterAsync("min", new string('x', 15))).Succeeded);
        Assert.True((await _service.RegisterAsync("max", new string('x', 256))).Succeeded);
        Assert.Equal(AccountError.WeakPassword, (await _service.RegisterAsync("over", new string('x', 257))).Error);
    }

    [Fact]
    public async Task Sign_in_issues_a_token_that_authenticates_until_it_expires()
    {
        UserId alice = (await _service.RegisterAsync("alice", Password)).Value;
        AccountResult<SignedIn> signedIn = await _service.SignInAsync("Alice", Password, Source);
        Assert.True(signedIn.Succeeded);
        Assert.Equal(alice, signedIn.Value!.User);
        Assert.Equal(_clock.GetUtcNow() + SessionToken.Lifetime, signedIn.Value.ExpiresAt);
        Assert.Equal(alice, (await _service.AuthenticateAsync(signedIn.Value.Token)).Value);

        _clock.Advance(SessionToken.Lifetime - TimeSpan.FromSeconds(1));
        Assert.True((await _service.AuthenticateAsync(signedIn.Value.Token)).Succeeded);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(AccountError.InvalidSession, (await _service.AuthenticateAsync(signedIn.Value.Token)).Error);
    }

    [Fact]
    public async Task The_store_keeps_only_the_hash_of_the_token()
    {
        await _service.RegisterAsync("alice", Password);
        string token = (await _service.SignInAsync("alice", Password, Source)).Value!.Token;
        Assert.True(SessionToken.TryHash(token, out byte[] hash));
        Assert.NotNull(await _store.FindSessionAsync(hash));
        Assert.Null(await _store.FindSessionAsync(System.Buffers.Text.Base64Url.DecodeFromChars(token))); // the raw token is no key
    }

    [Fact]
    public async Task Unknown_user_wrong_password_and_malformed_name_get_the_same_error_after_the_same_work()
    {
        await _service.RegisterAsync("alice", Password);
        var outcomes = new List<(AccountError? Error, long Derivations)>();
        foreach ((string name, string password) in new[] { ("alice", "wrong password, long enough"), ("nobody", Password), ("x", Password), ("alice", "") })
        {
            long before = _passwords.Derivations;
            AccountResult<SignedIn> result = await _service.SignInAsync(name, password, Source);
            outcomes.Add((result.Error, _passwords.Derivations - before));
            Assert.Null(result.Value);
            Assert.Equal(TimeSpan.Zero, result.RetryAfter);
        }
        Assert.All(outcomes, o => Assert.Equal((AccountError.InvalidCredentials, 1L), o));

        long beforeSuccess = _passwords.Derivations;
        Assert.True((await _service.SignInAsync("alice", Password, Source)).Succeeded);
        Assert.Equal(1L, _passwords.Derivations - beforeSuccess);
    }

    [Fact]
    public async Task Repeated_failures_are_throttled_without_argon2_work_even_with_the_right_password()
    {
        await _service.RegisterAsync("alice", Password);
        for (int i = 0; i <= SignInThrottle.AccountFreeFailures; i++)
        {
            Assert.Equal(AccountError.InvalidCredentials, (await _service.SignInAsync("alice", "wrong password, long enough", Source)).Error);
        }
        long before = _passwords.Derivations;
        AccountResult<SignedIn> throttled = await _service.SignInAsync("alice", Password, IPAddress.Parse("198.51.100.2"));
        Assert.Equal(AccountError.Throttled, throttled.Error);
        Assert.Equal(TimeSpan.FromSeconds(1), throttled.RetryAfter);
        Assert.Equal(before, _passwords.Derivations);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await _service.SignInAsync("alice", Password, Source)).Succeeded);
    }

    [Fact]
    public async Task Unknown_users_are_throttled_like_known_ones()
    {
        for (int i = 0; i <= SignInThrottle.AccountFreeFailures; i++)
        {
            await _service.SignInAsync("nobody", Password, Source);
        }
        Assert.Equal(AccountError.Throttled, (await _service.SignInAsync("nobody", Password, Source)).Error);
    }

    [Fact]
    public async Task Sign_out_revokes_only_that_session()
    {
        await _service.RegisterAsync("alice", Password);
        string first = (await _service.SignInAsync("alice", Password, Source)).Value!.Token;
        string second = (await _service.SignInAsync("alice", Password, Source)).Value!.Token;
        Assert.True(await _service.SignOutAsync(first));
        Assert.False(await _service.SignOutAsync(first));
        Assert.False(await _service.SignOutAsync("not a token"));
        Assert.Equal(AccountError.InvalidSession, (await _service.AuthenticateAsync(first)).Error);
        Assert.True((await _service.AuthenticateAsync(second)).Succeeded);
    }

    [Fact]
    public async Task Malformed_and_unknown_tokens_do_not_authenticate()
    {
        Assert.Equal(AccountError.InvalidSession, (await _service.AuthenticateAsync("")).Error);
        Assert.Equal(AccountError.InvalidSession, (await _service.AuthenticateAsync(SessionToken.Generate().Token)).Error);
    }

    [Fact]
    public async Task Changing_the_password_needs_the_current_one_and_revokes_the_other_sessions()
    {
        await _service.RegisterAsync("alice", Password);
        string here = (await _service.SignInAsync("alice", Password, Source)).Value!.Token;
        string laptop = (await _service.SignInAsync("alice", Password, Source)).Value!.Token;
        string phone = (await _service.SignInAsync("alice", Password, Source)).Value!.Token;

        Assert.Equal(AccountError.InvalidCredentials, (await _service.ChangePasswordAsync(here, "wrong password, long enough", NewPassword, Source)).Error);
        Assert.Equal(AccountError.WeakPassword, (await _service.ChangePasswordAsync(here, Password, "short", Source)).Error);
        Assert.Equal(AccountError.InvalidSession, (await _service.ChangePasswordAsync("bogus", Password, NewPassword, Source)).Error);
        Assert.True((await _service.AuthenticateAsync(laptop)).Succeeded); // nothing changed yet

        AccountResult<int> changed = await _service.ChangePasswordAsync(here, Password, NewPassword, Source);
        Assert.True(changed.Succeeded);
        Assert.Equal(2, changed.Value);
        Assert.True((await _service.AuthenticateAsync(here)).Succeeded);
        Assert.Equal(AccountError.InvalidSession, (await _service.AuthenticateAsync(laptop)).Error);
        Assert.Equal(AccountError.InvalidSession, (await _service.AuthenticateAsync(phone)).Error);

        Assert.Equal(AccountError.InvalidCredentials, (await _service.SignInAsync("alice", Password, Source)).Error);
        Assert.True((await _service.SignInAsync("alice", NewPassword, Source)).Succeeded);
    }

    [Fact]
    public async Task A_verifier_with_old_parameters_is_upgraded_at_sign_in()
    {
        await _service.RegisterAsync("alice", Password);
        var stronger = new PasswordVerifier(new SecureComms.Crypto.Argon2idParameters("test-stronger", 9 * 1024, 2));
        var upgraded = new AccountService(_store, stronger, new SignInThrottle(_clock), _clock);
        Assert.True((await upgraded.SignInAsync("alice", Password, Source)).Succeeded);
        Assert.StartsWith("$argon2id$v=19$m=9216,t=2,p=1$", (await _store.FindAccountAsync("alice"))!.PasswordVerifier, StringComparison.Ordinal);
        Assert.True((await _service.SignInAsync("alice", Password, Source)).Succeeded); // still verifies with the old service
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }
}
