namespace SecureComms.Server.Accounts;

/// <summary>Why an account operation was refused. Safe to show the client as is.</summary>
public enum AccountError
{
    /// <summary>The username breaks the rule (<see cref="Storage.Username"/>).</summary>
    InvalidUsername,

    /// <summary>The username is taken (registration only: unavoidable there, and the directory shows names anyway).</summary>
    UsernameTaken,

    /// <summary>The new password breaks the policy (<see cref="PasswordPolicy"/>).</summary>
    WeakPassword,

    /// <summary>Unknown user or wrong password: deliberately one error, after the same work.</summary>
    InvalidCredentials,

    /// <summary>Too many attempts: retry after <see cref="AccountResult{T}.RetryAfter"/>.</summary>
    Throttled,

    /// <summary>The session token is malformed, unknown, revoked or expired.</summary>
    InvalidSession,
}

/// <summary>The outcome of an account operation: a value, or an error (with a wait for <see cref="AccountError.Throttled"/>).</summary>
/// <typeparam name="T">The value on success.</typeparam>
public sealed record AccountResult<T>
{
    private AccountResult(T? value, AccountError? error, TimeSpan retryAfter)
    {
        Value = value;
        Error = error;
        RetryAfter = retryAfter;
    }

    /// <summary>The value; default when <see cref="Error"/> is set.</summary>
    public T? Value { get; }

    /// <summary>The error, or null on success.</summary>
    public AccountError? Error { get; }

    /// <summary>For <see cref="AccountError.Throttled"/>: how long to wait; else zero.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>Whether the operation succeeded.</summary>
    public bool Succeeded => Error is null;

    /// <summary>A success.</summary>
    public static AccountResult<T> Ok(T value) => new(value, null, TimeSpan.Zero);

    /// <summary>A refusal.</summary>
    public static AccountResult<T> Fail(AccountError error) => new(default, error, TimeSpan.Zero);

    /// <summary>A throttled refusal.</summary>
    public static AccountResult<T> Throttled(TimeSpan retryAfter) => new(default, AccountError.Throttled, retryAfter);
}

/// <summary>A successful sign-in.</summary>
/// <param name="User">Who signed in.</param>
/// <param name="Token">The session token for the client (<see cref="SessionToken"/>); the server keeps only its hash.</param>
/// <param name="ExpiresAt">When the session ends.</param>
public sealed record SignedIn(Storage.UserId User, string Token, DateTimeOffset ExpiresAt);
