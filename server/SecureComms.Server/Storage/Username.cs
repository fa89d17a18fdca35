namespace SecureComms.Server.Storage;

/// <summary>
/// The one normalization and syntax rule for usernames: every stored username is normalized, and two inputs
/// name the same account exactly when they normalize to the same string.
/// </summary>
/// <remarks>
/// <para><b>Rule.</b> The input is refused unless every character is ASCII; ASCII capitals A–Z are then folded
/// to a–z (nothing else changes), and the result must be <see cref="MinLength"/> to <see cref="MaxLength"/>
/// characters of <c>[a-z0-9._-]</c> that begins and ends with a letter or digit. No trimming: surrounding
/// white space is refused, not removed.</para>
/// <para><b>Why ASCII only, and no Unicode normalization.</b> The only characters allowed after folding are
/// ASCII, and NFC maps ASCII to itself, so NFC would change nothing the rule accepts; NFKC and full Unicode
/// case folding would <i>accept</i> look-alikes instead (U+212A KELVIN SIGN lowercases to "k",
/// U+FF21 FULLWIDTH A folds to "a"), letting two visibly different inputs name one account or a confusable
/// input pass for another user's name. Refusing them is simpler and leaves no room for confusables.
/// (The build is globalization-invariant, so <see cref="string.Normalize()"/> would silently do nothing for
/// non-ASCII input anyway.)</para>
/// <para><b>Hazard.</b> Never compare or look up a username that did not come out of
/// <see cref="TryNormalize"/>; the store refuses names that are not normalized.</para>
/// </remarks>
public static class Username
{
    /// <summary>Shortest username: 3 characters.</summary>
    public const int MinLength = 3;

    /// <summary>Longest username: 32 characters.</summary>
    public const int MaxLength = 32;

    /// <summary>Normalizes <paramref name="input"/>; false (and <paramref name="normalized"/> null) when the rule refuses it.</summary>
    public static bool TryNormalize(string? input, out string? normalized)
    {
        normalized = null;
        if (input is null || input.Length < MinLength || input.Length > MaxLength)
        {
            return false;
        }
        Span<char> folded = stackalloc char[input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            char c = input[i];
            folded[i] = c is >= 'A' and <= 'Z' ? (char)(c - 'A' + 'a') : c;
        }
        if (!IsNormalized(folded))
        {
            return false;
        }
        normalized = new string(folded);
        return true;
    }

    /// <summary>Whether <paramref name="value"/> is already a normalized username (what the store accepts).</summary>
    public static bool IsNormalized(ReadOnlySpan<char> value)
    {
        if (value.Length < MinLength || value.Length > MaxLength || !IsLetterOrDigit(value[0]) || !IsLetterOrDigit(value[^1]))
        {
            return false;
        }
        foreach (char c in value)
        {
            if (!IsLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsLetterOrDigit(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
}
