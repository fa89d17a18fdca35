namespace SecureComms.Server.Storage;

/// <summary>A signed-in session as stored: only the SHA-256 of its token, never the token.</summary>
/// <param name="TokenHash">SHA-256 of the 32 token bytes (<see cref="Accounts.SessionToken"/>); 32 bytes.</param>
/// <param name="User">Whose session it is.</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="ExpiresAt">When it stops authenticating (exclusive).</param>
/// <remarks>The hash is a byte array: records compare it by reference, not by value.</remarks>
public sealed record SignInSession(byte[] TokenHash, UserId User, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
