using System.Text;

namespace SecureComms.Server.Accounts;

/// <summary>
/// What a new password must be (NIST SP 800-63B-4 §3.1.1.2): long enough, not absurdly long, not the username.
/// No composition rules and no expiry, as that section advises.
/// </summary>
/// <remarks>Length is counted in Unicode scalar values (<see cref="Rune"/>), so an emoji is one character.
/// Not checked (yet): a list of breached or common passwords, which SP 800-63B also asks for.</remarks>
public static class PasswordPolicy
{
    /// <summary>Shortest password: 15 characters (SP 800-63B-4's minimum for a password that is the only factor).</summary>
    public const int MinLength = 15;

    /// <summary>Longest password: 256 characters (SP 800-63B asks to allow at least 64; the bound keeps input small).</summary>
    public const int MaxLength = 256;

    /// <summary>Whether <paramref name="password"/> is acceptable as a new password for <paramref name="normalizedUsername"/>.</summary>
    public static bool IsAcceptable(string? password, string normalizedUsername)
    {
        if (password is null || password.Length > MaxLength * 2)
        {
            return false;
        }
        int length = 0;
        int index = 0;
        while (index < password.Length)
        {
            if (Rune.DecodeFromUtf16(password.AsSpan(index), out _, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                return false; // lone surrogate: not text
            }
            index += consumed;
            length++;
        }
        return length is >= MinLength and <= MaxLength
            && !password.Equals(normalizedUsername, StringComparison.OrdinalIgnoreCase);
    }
}
