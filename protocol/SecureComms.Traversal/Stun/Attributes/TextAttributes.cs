using System.Text;

namespace SecureComms.Traversal.Stun.Attributes;

/// <summary>
/// An attribute whose value is UTF-8 text: USERNAME (§14.3), REALM (§14.9), NONCE (§14.10), SOFTWARE (§14.14).
/// </summary>
/// <remarks>
/// <para><b>Bounds.</b> USERNAME: fewer than 509 bytes. REALM, NONCE, SOFTWARE: fewer than 128 characters and at
/// most 763 bytes. Enforced on construction (<see cref="ArgumentException"/>) and on reading (malformed).</para>
/// <para><b>Reading.</b> Only well-formed UTF-8 is accepted, so decoding and re-encoding gives back the same
/// bytes. No PRECIS/SASLprep processing is done here: USERNAME, REALM and the password are processed by the
/// caller before they reach a key (<see cref="StunKey"/>), as RFC 8489 §9.2.2 requires.</para>
/// <para><b>Hazard.</b> USERNAME, REALM and NONCE arrive unauthenticated until MESSAGE-INTEGRITY is checked;
/// <see cref="ToString"/> shows their lengths only.</para>
/// </remarks>
public abstract class TextAttribute : StunAttribute
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _utf8;

    /// <summary>A text attribute holding <paramref name="text"/>, checked against the bounds of the type.</summary>
    private protected TextAttribute(string text, int maxBytes, int maxCharacters)
    {
        _utf8 = Encode(text, maxBytes, maxCharacters, nameof(text));
        Text = text;
    }

    /// <summary>The UTF-8 of <paramref name="text"/>, checked against the bounds.</summary>
    /// <exception cref="ArgumentException">A lone surrogate, or over a bound (named <paramref name="parameterName"/>).</exception>
    internal static byte[] Encode(string text, int maxBytes, int maxCharacters, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(text, parameterName);
        if (!Utf16IsValid(text))
        {
            throw new ArgumentException("The text has a lone surrogate.", parameterName);
        }
        byte[] utf8 = StrictUtf8.GetBytes(text);
        if (utf8.Length > maxBytes)
        {
            throw new ArgumentException($"At most {maxBytes} bytes of UTF-8 ({utf8.Length} given).", parameterName);
        }
        int characters = text.EnumerateRunes().Count();
        if (characters > maxCharacters)
        {
            throw new ArgumentException($"At most {maxCharacters} characters ({characters} given).", parameterName);
        }
        return utf8;
    }

    /// <summary>The text.</summary>
    public string Text { get; }

    /// <summary>The UTF-8 bytes as carried.</summary>
    public ReadOnlySpan<byte> Utf8Bytes => _utf8;

    /// <inheritdoc/>
    public override int ValueLength => _utf8.Length;

    /// <inheritdoc/>
    internal override void WriteValue(Span<byte> destination, TransactionId transactionId) => _utf8.CopyTo(destination);

    /// <summary>The text of <paramref name="value"/> when it is well-formed UTF-8 within the bounds; else null.</summary>
    private protected static string? TryDecodeText(ReadOnlySpan<byte> value, int maxBytes, int maxCharacters)
    {
        if (value.Length > maxBytes || !System.Text.Unicode.Utf8.IsValid(value))
        {
            return null;
        }
        string text = StrictUtf8.GetString(value);
        return text.EnumerateRunes().Count() <= maxCharacters ? text : null;
    }

    private static bool Utf16IsValid(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Type and length only: the text may be a user name or a nonce.</summary>
    public override string ToString() => $"0x{Type:x4} (text, {ValueLength} bytes)";
}

/// <summary>USERNAME (0x0006, §14.3): the user and password combination's name, fewer than 509 bytes.</summary>
public sealed class UsernameAttribute(string text)
    : TextAttribute(text, StunLimits.MaxUsernameSizeInBytes, int.MaxValue)
{
    /// <inheritdoc/>
    public override ushort Type => (ushort)StunAttributeType.Username;

    internal static UsernameAttribute? TryDecode(ReadOnlySpan<byte> value) =>
        TryDecodeText(value, StunLimits.MaxUsernameSizeInBytes, int.MaxValue) is { } text ? new(text) : null;
}

/// <summary>REALM (0x0014, §14.9): the long-term credential's realm.</summary>
public sealed class RealmAttribute(string text)
    : TextAttribute(text, StunLimits.MaxTextSizeInBytes, StunLimits.MaxTextCharacters)
{
    /// <inheritdoc/>
    public override ushort Type => (ushort)StunAttributeType.Realm;

    internal static RealmAttribute? TryDecode(ReadOnlySpan<byte> value) =>
        TryDecodeText(value, StunLimits.MaxTextSizeInBytes, StunLimits.MaxTextCharacters) is { } text ? new(text) : null;
}

/// <summary>NONCE (0x0015, §14.10): the server's nonce (its first 13 characters may be the §9.2 security feature
/// cookie "obMatJos2" ‖ 4 base64 characters).</summary>
public sealed class NonceAttribute(string text)
    : TextAttribute(text, StunLimits.MaxTextSizeInBytes, StunLimits.MaxTextCharacters)
{
    /// <inheritdoc/>
    public override ushort Type => (ushort)StunAttributeType.Nonce;

    internal static NonceAttribute? TryDecode(ReadOnlySpan<byte> value) =>
        TryDecodeText(value, StunLimits.MaxTextSizeInBytes, StunLimits.MaxTextCharacters) is { } text ? new(text) : null;
}

/// <summary>SOFTWARE (0x8022, §14.14): a description of the sender's software, for diagnostics.</summary>
public sealed class SoftwareAttribute(string text)
    : TextAttribute(text, StunLimits.MaxTextSizeInBytes, StunLimits.MaxTextCharacters)
{
    /// <inheritdoc/>
    public override ushort Type => (ushort)StunAttributeType.Software;

    internal static SoftwareAttribute? TryDecode(ReadOnlySpan<byte> value) =>
        TryDecodeText(value, StunLimits.MaxTextSizeInBytes, StunLimits.MaxTextCharacters) is { } text ? new(text) : null;

    /// <summary>Software names are not secret.</summary>
    public override string ToString() => $"SOFTWARE \"{Text}\"";
}
