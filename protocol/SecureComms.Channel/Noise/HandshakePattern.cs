using System.Globalization;

namespace SecureComms.Channel.Noise;

/// <summary>One message pattern (§7.1): who sends it and its tokens, in order.</summary>
/// <param name="FromInitiator">True for <c>-&gt;</c> (initiator to responder), false for <c>&lt;-</c>.</param>
/// <param name="Tokens">The tokens; the payload is implicit at the end.</param>
public sealed record MessagePattern(bool FromInitiator, IReadOnlyList<HandshakeToken> Tokens)
{
    /// <summary>The spec's notation, e.g. <c>-&gt; e, es, s, ss</c>.</summary>
    public override string ToString() => (FromInitiator ? "-> " : "<- ") + string.Join(", ", Tokens.Select(t => t.Spelling()));
}

/// <summary>
/// A Noise handshake pattern (§7): pre-messages and message patterns, read from the spec's table
/// (<see cref="HandshakePatternTable"/>) and optionally transformed by psk modifiers (§9.4).
/// </summary>
/// <remarks>
/// <para><b>References.</b> Noise rev. 34 §7.1 (notation), §7.4–§7.6 and §18.1 (the patterns), §8.1 (names and
/// modifiers), §9.2–§9.4 (psk token, validity rule, modifiers).</para>
/// <para><b>Modifiers.</b> <c>psk0</c> puts a <c>psk</c> token at the start of the first message; <c>pskN</c>
/// (N ≥ 1) at the end of the N-th message. Several are applied in the order named (<c>XXpsk0+psk3</c>). Any other
/// modifier (e.g. <c>fallback</c>) is refused as <see cref="NoiseError.UnsupportedModifier"/>.</para>
/// <para><b>Validity.</b> Messages alternate starting with the initiator; pre-messages hold only <c>s</c> (no
/// fallback patterns); and the §9.3 rule holds: no party sends encrypted data after a <c>psk</c> unless it has sent an
/// <c>e</c>. A pattern that breaks it is refused.</para>
/// </remarks>
public sealed class HandshakePattern
{
    private HandshakePattern(
        string name,
        IReadOnlyList<HandshakeToken> initiatorPreMessage,
        IReadOnlyList<HandshakeToken> responderPreMessage,
        IReadOnlyList<MessagePattern> messages)
    {
        Name = name;
        InitiatorPreMessage = initiatorPreMessage;
        ResponderPreMessage = responderPreMessage;
        Messages = messages;
        PskCount = messages.Sum(m => m.Tokens.Count(t => t == HandshakeToken.Psk));
    }

    /// <summary>The pattern's name section with its modifiers, e.g. <c>XXpsk3</c>.</summary>
    public string Name { get; }

    /// <summary>Keys the initiator's pre-message declares known to the responder (§7.1 <c>-&gt; s</c> before <c>...</c>).</summary>
    public IReadOnlyList<HandshakeToken> InitiatorPreMessage { get; }

    /// <summary>Keys the responder's pre-message declares known to the initiator (<c>&lt;- s</c> before <c>...</c>).</summary>
    public IReadOnlyList<HandshakeToken> ResponderPreMessage { get; }

    /// <summary>The handshake messages, in order.</summary>
    public IReadOnlyList<MessagePattern> Messages { get; }

    /// <summary>Number of <c>psk</c> tokens: how many pre-shared keys each party supplies.</summary>
    public int PskCount { get; }

    /// <summary>Whether this is a one-way pattern (§7.4: N, K, X and their psk variants): only the initiator sends.</summary>
    public bool IsOneWay => Messages.All(m => m.FromInitiator);

    /// <summary>The fundamental and deferred pattern names the table knows (§7.4, §7.5, §18.1).</summary>
    public static IEnumerable<string> BaseNames => HandshakePatternTable.Patterns.Keys;

    /// <summary>
    /// The pattern <paramref name="baseName"/> from the spec's table with <paramref name="modifiers"/> applied.
    /// </summary>
    /// <exception cref="NoiseException"><see cref="NoiseError.InvalidProtocolName"/> for an unknown pattern,
    /// <see cref="NoiseError.UnsupportedModifier"/> for a modifier that is not a usable <c>pskN</c>.</exception>
    public static HandshakePattern Create(string baseName, IReadOnlyList<string> modifiers)
    {
        ArgumentNullException.ThrowIfNull(baseName);
        ArgumentNullException.ThrowIfNull(modifiers);
        if (!HandshakePatternTable.Patterns.TryGetValue(baseName, out string? text))
        {
            throw new NoiseException(NoiseError.InvalidProtocolName, $"Unknown handshake pattern '{baseName}'.");
        }
        return ApplyModifiers(Parse(baseName, text), modifiers);
    }

    /// <summary>
    /// §9.4: <paramref name="pattern"/> with each psk modifier applied in order, then checked against §9.3.
    /// </summary>
    /// <exception cref="NoiseException"><see cref="NoiseError.UnsupportedModifier"/>.</exception>
    internal static HandshakePattern ApplyModifiers(HandshakePattern pattern, IReadOnlyList<string> modifiers)
    {
        string baseName = pattern.Name;
        var messages = pattern.Messages.Select(m => m.Tokens.ToList()).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string modifier in modifiers)
        {
            if (!seen.Add(modifier))
            {
                throw new NoiseException(NoiseError.UnsupportedModifier, $"Modifier '{modifier}' is repeated.");
            }
            int position = PskPosition(modifier, messages.Count);
            if (position == 0)
            {
                messages[0].Insert(0, HandshakeToken.Psk);
            }
            else
            {
                messages[position - 1].Add(HandshakeToken.Psk);
            }
        }
        string name = modifiers.Count == 0 ? baseName : baseName + string.Join("+", modifiers);
        var result = new HandshakePattern(
            name,
            pattern.InitiatorPreMessage,
            pattern.ResponderPreMessage,
            [.. pattern.Messages.Select((m, i) => new MessagePattern(m.FromInitiator, messages[i].AsReadOnly()))]);
        result.CheckPskValidity();
        return result;
    }

    /// <summary>Reads a pattern written in the spec's notation (one message per line, <c>...</c> after pre-messages).</summary>
    /// <exception cref="FormatException">The text is not a valid pattern.</exception>
    internal static HandshakePattern Parse(string name, string text)
    {
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        int separator = Array.IndexOf(lines, "...");
        var initiatorPre = new List<HandshakeToken>();
        var responderPre = new List<HandshakeToken>();
        foreach (var pre in lines.Take(Math.Max(separator, 0)).Select(ParseLine))
        {
            // §7.1 allows e too, but only the fallback patterns (§10.2, not offered here) use it.
            if (pre.Tokens.Any(t => t != HandshakeToken.S))
            {
                throw new FormatException($"{name}: pre-messages hold only s here.");
            }
            (pre.FromInitiator ? initiatorPre : responderPre).AddRange(pre.Tokens);
        }
        var messages = lines.Skip(separator + 1).Select(ParseLine).ToList();
        for (int i = 0; i < messages.Count; i++)
        {
            if (messages[i].FromInitiator != (i % 2 == 0))
            {
                throw new FormatException($"{name}: message {i} is out of turn (messages alternate, initiator first).");
            }
        }
        if (messages.Count == 0)
        {
            throw new FormatException($"{name}: no messages.");
        }
        return new HandshakePattern(name, initiatorPre.AsReadOnly(), responderPre.AsReadOnly(), messages.AsReadOnly());
    }

    /// <summary>The spec's notation of the whole pattern.</summary>
    public override string ToString()
    {
        var lines = new List<string>();
        if (InitiatorPreMessage.Count > 0)
        {
            lines.Add(new MessagePattern(true, InitiatorPreMessage).ToString());
        }
        if (ResponderPreMessage.Count > 0)
        {
            lines.Add(new MessagePattern(false, ResponderPreMessage).ToString());
        }
        if (lines.Count > 0)
        {
            lines.Add("...");
        }
        lines.AddRange(Messages.Select(m => m.ToString()));
        return $"{Name}:\n" + string.Join("\n", lines.Select(l => "  " + l));
    }

    private static MessagePattern ParseLine(string line)
    {
        bool fromInitiator = line.StartsWith("->", StringComparison.Ordinal); // public data: the spec's pattern text
        if (!fromInitiator && !line.StartsWith("<-", StringComparison.Ordinal)) // public data: the spec's pattern text
        {
            throw new FormatException($"'{line}' is neither -> nor <-.");
        }
        var tokens = new List<HandshakeToken>();
        foreach (string word in line[2..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            tokens.Add(HandshakeTokens.TryParse(word, out var token) ? token : throw new FormatException($"Unknown token '{word}'."));
        }
        return new MessagePattern(fromInitiator, tokens.AsReadOnly());
    }

    /// <summary>The N of a <c>pskN</c> modifier that fits a pattern of <paramref name="messageCount"/> messages.</summary>
    private static int PskPosition(string modifier, int messageCount)
    {
        const string prefix = "psk";
        if (modifier.Length > prefix.Length
            && modifier.StartsWith(prefix, StringComparison.Ordinal) // public data: the spec's pattern text
            && modifier.Skip(prefix.Length).All(char.IsAsciiDigit)
            && modifier.Length <= prefix.Length + 3
            && int.TryParse(modifier.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int position)
            && position <= messageCount
            && (position == 0 || modifier[prefix.Length] != '0'))
        {
            return position;
        }
        throw new NoiseException(NoiseError.UnsupportedModifier, $"Modifier '{modifier}' is not psk0..psk{messageCount}.");
    }

    /// <summary>§9.3: a party sends no encrypted data after a psk token unless it has sent an e.</summary>
    private void CheckPskValidity()
    {
        bool pskSeen = false, initiatorSentE = false, responderSentE = false;
        foreach (var message in Messages)
        {
            foreach (var token in message.Tokens)
            {
                pskSeen |= token == HandshakeToken.Psk;
                if (token == HandshakeToken.E && message.FromInitiator)
                {
                    initiatorSentE = true;
                }
                else if (token == HandshakeToken.E)
                {
                    responderSentE = true;
                }
                if (token == HandshakeToken.S)
                {
                    RequireEphemeral(message, pskSeen, initiatorSentE, responderSentE);
                }
            }
            RequireEphemeral(message, pskSeen, initiatorSentE, responderSentE); // the payload
        }
    }

    private void RequireEphemeral(MessagePattern message, bool pskSeen, bool initiatorSentE, bool responderSentE)
    {
        if (pskSeen && !(message.FromInitiator ? initiatorSentE : responderSentE))
        {
            throw new NoiseException(NoiseError.UnsupportedModifier, $"{Name} breaks the psk validity rule (§9.3).");
        }
    }
}
