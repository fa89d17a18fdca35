using System.Net;
using SecureComms.Server.Storage;

namespace SecureComms.Server.Accounts;

/// <summary>
/// Register, sign in, sign out, change password, and authenticate a session token, over an
/// <see cref="IServerStore"/>.
/// </summary>
/// <remarks>
/// <para><b>Existence is not revealed by sign-in.</b> A malformed username, an unknown user and a wrong
/// password all answer <see cref="AccountError.InvalidCredentials"/> after exactly one Argon2id derivation
/// (<see cref="PasswordVerifier.VerifyDummy"/> for the first two), and all count against the throttle under
/// the same keys. Residual differences: a verifier made with older parameters costs what those cost (until
/// it is rehashed at the next sign-in), and the store lookup itself. Registration does reveal a taken name
/// (<see cref="AccountError.UsernameTaken"/>), as any directory with unique names must.</para>
/// <para><b>Throttling.</b> Sign-in and the current-password check of a password change go through
/// <see cref="SignInThrottle"/> (per account and per source address), before any Argon2id work.</para>
/// <para><b>Sessions.</b> A sign-in issues a <see cref="SessionToken"/> valid for
/// <see cref="SessionToken.Lifetime"/>; sign-out revokes it; a password change revokes every other session of
/// the user in the same transaction as the new verifier. Connections already authenticated with a revoked or
/// expired session are the handlers' business (<see cref="Services.AccountHandlers"/>).</para>
/// <para><b>Hazards.</b> Argon2id runs on the calling thread (tens of milliseconds with the default
/// parameters). Registration is not throttled here: the listener must rate-limit it per address, or anyone
/// can make the server hash at will.</para>
/// </remarks>
public sealed class AccountService
{
    private readonly IServerStore _store;
    private readonly PasswordVerifier _passwords;
    private readonly SignInThrottle _throttle;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    /// <param name="store">Where accounts and sessions live.</param>
    /// <param name="passwords">Makes and checks verifiers (its parameters are the ones new verifiers get).</param>
    /// <param name="throttle">Sign-in throttling.</param>
    /// <param name="time">The clock for session issue and expiry (default: the system clock); use the store's.</param>
    public AccountService(IServerStore store, PasswordVerifier passwords, SignInThrottle throttle, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(passwords);
        ArgumentNullException.ThrowIfNull(throttle);
        _store = store;
        _passwords = passwords;
        _throttle = throttle;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Creates an account.</summary>
    /// <returns>The new user's id; or InvalidUsername, WeakPassword, UsernameTaken.</returns>
    public async Task<AccountResult<UserId>> RegisterAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        if (!Username.TryNormalize(username, out string? normalized))
        {
            return AccountResult<UserId>.Fail(AccountError.InvalidUsername);
        }
        if (!PasswordPolicy.IsAcceptable(password, normalized!))
        {
            return AccountResult<UserId>.Fail(AccountError.WeakPassword);
        }
        if (await _store.FindAccountAsync(normalized!, cancellationToken).ConfigureAwait(false) is not null)
        {
            return AccountResult<UserId>.Fail(AccountError.UsernameTaken); // before hashing: no work for a taken name
        }
        string verifier = _passwords.Hash(password);
        Account? account = await _store.CreateAccountAsync(normalized!, verifier, cancellationToken).ConfigureAwait(false);
        return account is null
            ? AccountResult<UserId>.Fail(AccountError.UsernameTaken) // taken in the meantime
            : AccountResult<UserId>.Ok(account.Id);
    }

    /// <summary>Signs in and issues a session token.</summary>
    /// <returns>The session; or InvalidCredentials (unknown user, malformed name or wrong password alike), Throttled.</returns>
    public async Task<AccountResult<SignedIn>> SignInAsync(string username, string password, IPAddress source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        Username.TryNormalize(username, out string? normalized);
        if (!_throttle.TryBegin(normalized, source, out TimeSpan retryAfter))
        {
            return AccountResult<SignedIn>.Throttled(retryAfter);
        }
        bool? verdict = null;
        try
        {
            Account? account = normalized is null ? null : await _store.FindAccountAsync(normalized, cancellationToken).ConfigureAwait(false);
            bool needsRehash = false;
            if (account is null || password is null || password.Length > PasswordPolicy.MaxLength * 2)
            {
                _passwords.VerifyDummy(password is null || password.Length > PasswordPolicy.MaxLength * 2 ? null : password);
                verdict = false;
            }
            else
            {
                verdict = _passwords.Verify(password, account.PasswordVerifier, out needsRehash);
            }
            if (verdict != true)
            {
                return AccountResult<SignedIn>.Fail(AccountError.InvalidCredentials);
            }
            if (needsRehash)
            {
                await _store.UpdatePasswordVerifierAsync(account!.Id, _passwords.Hash(password!), cancellationToken).ConfigureAwait(false);
            }
            return AccountResult<SignedIn>.Ok(await IssueSessionAsync(account!.Id, cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _throttle.End(normalized, source, verdict);
        }
    }

    /// <summary>Revokes the session of <paramref name="token"/>. False: it was not a live session.</summary>
    public async Task<bool> SignOutAsync(string token, CancellationToken cancellationToken = default) =>
        SessionToken.TryHash(token, out byte[] hash)
        && await _store.RevokeSessionAsync(hash, cancellationToken).ConfigureAwait(false);

    /// <summary>The user a session token belongs to; InvalidSession when malformed, unknown, revoked or expired.</summary>
    public async Task<AccountResult<UserId>> AuthenticateAsync(string token, CancellationToken cancellationToken = default)
    {
        AccountResult<SignInSession> session = await FindSessionAsync(token, cancellationToken).ConfigureAwait(false);
        return session.Value is { } live ? AccountResult<UserId>.Ok(live.User) : AccountResult<UserId>.Fail(AccountError.InvalidSession);
    }

    /// <summary>The live session of a token (its user and expiry, for a connection that must stop at expiry);
    /// InvalidSession when malformed, unknown, revoked or expired.</summary>
    public async Task<AccountResult<SignInSession>> FindSessionAsync(string token, CancellationToken cancellationToken = default)
    {
        if (!SessionToken.TryHash(token, out byte[] hash))
        {
            return AccountResult<SignInSession>.Fail(AccountError.InvalidSession);
        }
        SignInSession? session = await _store.FindSessionAsync(hash, cancellationToken).ConfigureAwait(false);
        return session is null ? AccountResult<SignInSession>.Fail(AccountError.InvalidSession) : AccountResult<SignInSession>.Ok(session);
    }

    /// <summary>
    /// Changes the password of the session's user, given the current password; every other session of the user
    /// is revoked in the same transaction (the session of <paramref name="token"/> stays).
    /// </summary>
    /// <returns>How many other sessions were revoked; or InvalidSession, WeakPassword, Throttled,
    /// InvalidCredentials (wrong current password).</returns>
    public async Task<AccountResult<int>> ChangePasswordAsync(string token, string currentPassword, string newPassword, IPAddress source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!SessionToken.TryHash(token, out byte[] hash)
            || await _store.FindSessionAsync(hash, cancellationToken).ConfigureAwait(false) is not SignInSession session
            || await _store.GetAccountAsync(session.User, cancellationToken).ConfigureAwait(false) is not Account account)
        {
            return AccountResult<int>.Fail(AccountError.InvalidSession);
        }
        if (!PasswordPolicy.IsAcceptable(newPassword, account.Username))
        {
            return AccountResult<int>.Fail(AccountError.WeakPassword);
        }
        if (!_throttle.TryBegin(account.Username, source, out TimeSpan retryAfter))
        {
            return AccountResult<int>.Throttled(retryAfter);
        }
        bool? verdict = null;
        try
        {
            verdict = currentPassword is not null && currentPassword.Length <= PasswordPolicy.MaxLength * 2
                && _passwords.Verify(currentPassword, account.PasswordVerifier, out _);
            if (verdict != true)
            {
                return AccountResult<int>.Fail(AccountError.InvalidCredentials);
            }
            int revoked = await _store.ChangePasswordAsync(account.Id, _passwords.Hash(newPassword), hash, cancellationToken).ConfigureAwait(false);
            return revoked < 0 ? AccountResult<int>.Fail(AccountError.InvalidSession) : AccountResult<int>.Ok(revoked);
        }
        finally
        {
            _throttle.End(account.Username, source, verdict);
        }
    }

    private async Task<SignedIn> IssueSessionAsync(UserId user, CancellationToken cancellationToken)
    {
        (string token, byte[] hash) = SessionToken.Generate();
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset expires = now + SessionToken.Lifetime;
        await _store.CreateSessionAsync(new SignInSession(hash, user, now, expires), cancellationToken).ConfigureAwait(false);
        return new SignedIn(user, token, expires);
    }
}
