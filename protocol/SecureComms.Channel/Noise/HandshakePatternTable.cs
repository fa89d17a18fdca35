namespace SecureComms.Channel.Noise;

/// <summary>
/// The handshake patterns of Noise rev. 34 as data, copied in the spec's own notation from its tables: §7.4
/// (one-way N, K, X), §7.5 (the 12 fundamental interactive patterns) and §18.1 (the 23 deferred patterns).
/// <see cref="HandshakePattern.Parse"/> reads each entry; psk modifiers (§9.4) are applied to the parsed
/// pattern, not listed here.
/// </summary>
/// <remarks>
/// Notation (§7.1): <c>-&gt;</c> is a message from the initiator, <c>&lt;-</c> from the responder; lines before
/// <c>...</c> are pre-messages (keys known in advance). Each entry is checked against the spec's text by
/// tests/SecureComms.Channel.Tests (<c>HandshakePatternTableTests</c>).
/// </remarks>
internal static class HandshakePatternTable
{
    /// <summary>Pattern name → its spec text.</summary>
    public static IReadOnlyDictionary<string, string> Patterns { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // §7.4 one-way patterns
        ["N"] = "<- s\n...\n-> e, es",
        ["K"] = "-> s\n<- s\n...\n-> e, es, ss",
        ["X"] = "<- s\n...\n-> e, es, s, ss",

        // §7.5 fundamental interactive patterns
        ["NN"] = "-> e\n<- e, ee",
        ["NK"] = "<- s\n...\n-> e, es\n<- e, ee",
        ["NX"] = "-> e\n<- e, ee, s, es",
        ["KN"] = "-> s\n...\n-> e\n<- e, ee, se",
        ["KK"] = "-> s\n<- s\n...\n-> e, es, ss\n<- e, ee, se",
        ["KX"] = "-> s\n...\n-> e\n<- e, ee, se, s, es",
        ["XN"] = "-> e\n<- e, ee\n-> s, se",
        ["XK"] = "<- s\n...\n-> e, es\n<- e, ee\n-> s, se",
        ["XX"] = "-> e\n<- e, ee, s, es\n-> s, se",
        ["IN"] = "-> e, s\n<- e, ee, se",
        ["IK"] = "<- s\n...\n-> e, es, s, ss\n<- e, ee, se",
        ["IX"] = "-> e, s\n<- e, ee, se, s, es",

        // §18.1 deferred patterns
        ["NK1"] = "<- s\n...\n-> e\n<- e, ee, es",
        ["NX1"] = "-> e\n<- e, ee, s\n-> es",
        ["X1N"] = "-> e\n<- e, ee\n-> s\n<- se",
        ["X1K"] = "<- s\n...\n-> e, es\n<- e, ee\n-> s\n<- se",
        ["XK1"] = "<- s\n...\n-> e\n<- e, ee, es\n-> s, se",
        ["X1K1"] = "<- s\n...\n-> e\n<- e, ee, es\n-> s\n<- se",
        ["X1X"] = "-> e\n<- e, ee, s, es\n-> s\n<- se",
        ["XX1"] = "-> e\n<- e, ee, s\n-> es, s, se",
        ["X1X1"] = "-> e\n<- e, ee, s\n-> es, s\n<- se",
        ["K1N"] = "-> s\n...\n-> e\n<- e, ee\n-> se",
        ["K1K"] = "-> s\n<- s\n...\n-> e, es\n<- e, ee\n-> se",
        ["KK1"] = "-> s\n<- s\n...\n-> e\n<- e, ee, se, es",
        ["K1K1"] = "-> s\n<- s\n...\n-> e\n<- e, ee, es\n-> se",
        ["K1X"] = "-> s\n...\n-> e\n<- e, ee, s, es\n-> se",
        ["KX1"] = "-> s\n...\n-> e\n<- e, ee, se, s\n-> es",
        ["K1X1"] = "-> s\n...\n-> e\n<- e, ee, s\n-> se, es",
        ["I1N"] = "-> e, s\n<- e, ee\n-> se",
        ["I1K"] = "<- s\n...\n-> e, es, s\n<- e, ee\n-> se",
        ["IK1"] = "<- s\n...\n-> e, s\n<- e, ee, se, es",
        ["I1K1"] = "<- s\n...\n-> e, s\n<- e, ee, es\n-> se",
        ["I1X"] = "-> e, s\n<- e, ee, s, es\n-> se",
        ["IX1"] = "-> e, s\n<- e, ee, se, s\n-> es",
        ["I1X1"] = "-> e, s\n<- e, ee, s\n-> se, es",
    };
}
