using System.Globalization;

namespace SecureComms.Server.Storage;

/// <summary>An account's server-assigned identifier: positive, never reused (SQLite <c>AUTOINCREMENT</c>).</summary>
/// <param name="Value">The row id.</param>
/// <remarks>Internal to the server and its clients' address book; usernames are what people type.</remarks>
public readonly record struct UserId(long Value)
{
    /// <inheritdoc/>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
