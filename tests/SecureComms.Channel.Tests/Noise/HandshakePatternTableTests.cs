using SecureComms.Channel.Noise;

namespace SecureComms.Channel.Tests.Noise;

/// <summary>
/// The pattern table against the text of Noise rev. 34 (§7.4, §7.5, §9.4, §18.1): rows checked token by token,
/// the table's size, and psk modifiers applied as §9.4 places them.
/// </summary>
public sealed class HandshakePatternTableTests
{
    /// <summary>Rows as the spec prints them (§7.5 XX, IK, NK; §9.4 XXpsk3, NNpsk0, Xpsk1; §18.1 X1K1).</summary>
    [Theory]
    [InlineData("XX", "-> e|<- e, ee, s, es|-> s, se")]
    [InlineData("IK", "<- s|...|-> e, es, s, ss|<- e, ee, se")]
    [InlineData("NK", "<- s|...|-> e, es|<- e, ee")]
    [InlineData("KK", "-> s|<- s|...|-> e, es, ss|<- e, ee, se")]
    [InlineData("XXpsk3", "-> e|<- e, ee, s, es|-> s, se, psk")]
    [InlineData("NNpsk0", "-> psk, e|<- e, ee")]
    [InlineData("Xpsk1", "<- s|...|-> e, es, s, ss, psk")]
    [InlineData("IKpsk2", "<- s|...|-> e, es, s, ss|<- e, ee, se, psk")]
    [InlineData("XXpsk0+psk3", "-> psk, e|<- e, ee, s, es|-> s, se, psk")]
    [InlineData("X1K1", "<- s|...|-> e|<- e, ee, es|-> s|<- se")]
    [InlineData("I1X1", "-> e, s|<- e, ee, s|-> se, es")]
    public void RowMatchesTheSpec(string section, string specText)
    {
        var pattern = NoiseProtocolName.ForPattern(section).Pattern;
        string expected = $"{section}:\n" + string.Join("\n", specText.Split('|').Select(l => "  " + l));
        Assert.Equal(expected, pattern.ToString());
    }

    /// <summary>3 one-way (§7.4) + 12 fundamental (§7.5) + 23 deferred (§18.1) patterns, every one valid.</summary>
    [Fact]
    public void TableHoldsEveryPatternOfTheSpec()
    {
        var names = HandshakePattern.BaseNames.ToList();
        Assert.Equal(38, names.Count);
        Assert.Equal(3, names.Count(n => n.Length == 1));
        Assert.Equal(12, names.Count(n => n.Length == 2));
        Assert.Equal(23, names.Count(n => n.Contains('1', StringComparison.Ordinal)));
        Assert.All(names, n => Assert.Equal(n.Length == 1, NoiseProtocolName.ForPattern(n).Pattern.IsOneWay));
    }

    /// <summary>XX's messages and pre-messages as typed values (not only their printed form).</summary>
    [Fact]
    public void XxAsData()
    {
        var xx = NoiseProtocolName.ForPattern("XX").Pattern;
        Assert.Empty(xx.InitiatorPreMessage);
        Assert.Empty(xx.ResponderPreMessage);
        Assert.Equal([true, false, true], xx.Messages.Select(m => m.FromInitiator));
        Assert.Equal([HandshakeToken.E, HandshakeToken.EE, HandshakeToken.S, HandshakeToken.ES], xx.Messages[1].Tokens);
        Assert.Equal(0, xx.PskCount);
        Assert.Equal(2, NoiseProtocolName.ForPattern("XXpsk0+psk1").Pattern.PskCount);
    }

    /// <summary>Modifiers other than a pskN that fits are refused with UnsupportedModifier.</summary>
    [Theory]
    [InlineData("XXfallback")]
    [InlineData("XXpsk4")]
    [InlineData("XXpsk01")]
    [InlineData("XXpsk0+psk0")]
    [InlineData("Npsk2")]
    [InlineData("XXpsk")]
    public void UnusableModifiersAreRefused(string section)
    {
        var e = Assert.Throws<NoiseException>(() => NoiseProtocolName.ForPattern(section));
        Assert.Equal(NoiseError.UnsupportedModifier, e.Reason);
    }

    /// <summary>Every party of every table pattern sends e in its first message, so every pskN position satisfies
    /// §9.3 and is accepted.</summary>
    [Fact]
    public void EveryPskPositionOfEveryPatternIsValid()
    {
        foreach (string name in HandshakePattern.BaseNames)
        {
            int messages = NoiseProtocolName.ForPattern(name).Pattern.Messages.Count;
            for (int psk = 0; psk <= messages; psk++)
            {
                Assert.Equal(1, NoiseProtocolName.ForPattern($"{name}psk{psk}").Pattern.PskCount);
            }
        }
    }

    /// <summary>§9.3 on patterns outside the table: encrypted data (a static key or a payload) after a psk from a
    /// party that has sent no e is refused; the same pattern without the psk, or with e first, is accepted.</summary>
    [Theory]
    [InlineData("-> s\n<- e", "psk0", false)]
    [InlineData("-> e, s\n<- s", "psk1", false)]
    [InlineData("-> e, s\n<- e", "psk1", true)]
    [InlineData("-> s\n<- e", "psk2", true)]
    public void PskValidityRule(string text, string modifier, bool valid)
    {
        var pattern = HandshakePattern.Parse("T", text);
        Assert.Equal(0, HandshakePattern.ApplyModifiers(pattern, []).PskCount);
        if (valid)
        {
            Assert.Equal(1, HandshakePattern.ApplyModifiers(pattern, [modifier]).PskCount);
        }
        else
        {
            var e = Assert.Throws<NoiseException>(() => HandshakePattern.ApplyModifiers(pattern, [modifier]));
            Assert.Equal(NoiseError.UnsupportedModifier, e.Reason);
        }
    }

    /// <summary>The notation parser refuses what is not a pattern.</summary>
    [Theory]
    [InlineData("-> e\n-> e")]
    [InlineData("<- e")]
    [InlineData("-> e, xx")]
    [InlineData("-> ee\n...\n-> e")]
    [InlineData("e, es")]
    [InlineData("-> s\n...")]
    [InlineData("-> e\n...\n-> e")]
    public void MalformedNotationIsRefused(string text) =>
        Assert.Throws<FormatException>(() => HandshakePattern.Parse("T", text));
}
