namespace SecureComms.Server.Storage;

/// <summary>An account as stored.</summary>
/// <param name="Id">The server-assigned id.</param>
/// <param name="Username">The normalized username (<see cref="Storage.Username"/>).</param>
/// <param name="PasswordVerifier">The encoded Argon2id verifier with its salt and parameters
/// (<see cref="Accounts.PasswordVerifier"/>); never the password.</param>
/// <param name="CreatedAt">When the account was created.</param>
public sealed record Account(UserId Id, string Username, string PasswordVerifier, DateTimeOffset CreatedAt);
