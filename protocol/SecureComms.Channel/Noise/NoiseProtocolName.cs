using System.Text;

namespace SecureComms.Channel.Noise;

/// <summary>
/// A parsed Noise protocol name (§8): <c>Noise_</c> ‖ pattern (with modifiers) ‖ <c>_</c> DH <c>_</c> cipher
/// <c>_</c> hash, e.g. <c>Noise_XXpsk3_25519_AESGCM_SHA256</c>. Only the suite <c>25519_AESGCM_SHA256</c> is
/// accepted; its bytes are what <see cref="SymmetricState"/> hashes first.
/// </summary>
/// <remarks>
/// <para><b>References.</b> Noise rev. 34 §8 (name sections, 255-byte limit, characters), §8.1 (pattern name:
/// uppercase letters and digits; modifiers: lowercase-led alphanumerics joined by <c>+</c>), §8.2.</para>
/// <para><b>Policy.</b> Parsing is total: anything but a well-formed name of a known pattern and suite is a
/// <see cref="NoiseException"/> with <see cref="NoiseError.InvalidProtocolName"/>,
/// <see cref="NoiseError.UnsupportedSuite"/> or <see cref="NoiseError.UnsupportedModifier"/>. The name is kept
/// exactly as given, since both parties must hash the same bytes.</para>
/// </remarks>
public sealed class NoiseProtocolName
{
    /// <summary>The one suite SecureComms speaks: X25519, AES-256-GCM, SHA-256.</summary>
    public const string Suite = "25519_AESGCM_SHA256";

    private const string Prefix = "Noise_";

    private NoiseProtocolName(string name, HandshakePattern pattern)
    {
        Name = name;
        Pattern = pattern;
    }

    /// <summary>The full name, as given.</summary>
    public string Name { get; }

    /// <summary>The handshake pattern, modifiers applied.</summary>
    public HandshakePattern Pattern { get; }

    /// <summary>The name's ASCII bytes (§5.2 InitializeSymmetric's <c>protocol_name</c>).</summary>
    public byte[] ToBytes() => Encoding.ASCII.GetBytes(Name);

    /// <summary>The protocol <c>Noise_PATTERN_25519_AESGCM_SHA256</c> for a pattern name section such as <c>IK</c> or <c>XXpsk0+psk1</c>.</summary>
    public static NoiseProtocolName ForPattern(string patternSection) => Parse($"{Prefix}{patternSection}_{Suite}");

    /// <summary>Parses <paramref name="name"/>.</summary>
    /// <exception cref="NoiseException">The name is malformed, names another suite, or an unknown pattern or modifier.</exception>
    public static NoiseProtocolName Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length > NoiseLimits.MaxProtocolNameLength || !name.StartsWith(Prefix, StringComparison.Ordinal)) // public data: a protocol name
        {
            throw Invalid("does not start with Noise_ or is longer than 255 characters");
        }
        string[] sections = name[Prefix.Length..].Split('_');
        if (sections.Length != 4 || sections.Any(s => s.Length == 0 || !s.All(IsNameCharacter)))
        {
            throw Invalid("needs four non-empty sections of letters, digits, '+' and '/'");
        }
        if (string.Join("_", sections[1..]) != Suite)
        {
            throw new NoiseException(NoiseError.UnsupportedSuite, $"Only {Suite} is supported.");
        }
        string section = sections[0];
        int baseLength = 0;
        while (baseLength < section.Length && (char.IsAsciiLetterUpper(section[baseLength]) || char.IsAsciiDigit(section[baseLength])))
        {
            baseLength++;
        }
        if (baseLength == 0)
        {
            throw Invalid("the pattern name is empty");
        }
        string[] modifiers = baseLength == section.Length ? [] : section[baseLength..].Split('+');
        if (modifiers.Any(m => m.Length == 0 || !char.IsAsciiLetterLower(m[0]) || !m.All(char.IsAsciiLetterOrDigit)))
        {
            throw Invalid("a modifier is not a lowercase-led alphanumeric word");
        }
        return new NoiseProtocolName(name, HandshakePattern.Create(section[..baseLength], modifiers));
    }

    /// <summary>Like <see cref="Parse"/>, returning false (with the reason) instead of throwing.</summary>
    public static bool TryParse(string name, out NoiseProtocolName? protocol, out NoiseError error)
    {
        try
        {
            protocol = Parse(name);
            error = default;
            return true;
        }
        catch (NoiseException e)
        {
            protocol = null;
            error = e.Reason;
            return false;
        }
    }

    /// <summary>The name.</summary>
    public override string ToString() => Name;

    private static bool IsNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/';

    private static NoiseException Invalid(string why) =>
        new(NoiseError.InvalidProtocolName, $"Not a Noise protocol name: {why}.");
}
