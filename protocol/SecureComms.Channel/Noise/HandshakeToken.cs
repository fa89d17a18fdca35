namespace SecureComms.Channel.Noise;

/// <summary>
/// A token of a Noise message pattern (§5.3, §9.2), in the spec's spelling: <c>e</c>, <c>s</c>, <c>ee</c>,
/// <c>es</c>, <c>se</c>, <c>ss</c>, <c>psk</c>. For the DH tokens the first letter is the initiator's key and the
/// second the responder's, whoever sends the message.
/// </summary>
public enum HandshakeToken
{
    /// <summary><c>e</c>: the sender's ephemeral public key, in clear; MixHash (and MixKey in a PSK handshake).</summary>
    E,

    /// <summary><c>s</c>: the sender's static public key, EncryptAndHash'ed.</summary>
    S,

    /// <summary><c>ee</c>: MixKey(DH(e, re)).</summary>
    EE,

    /// <summary><c>es</c>: MixKey(DH(initiator's e, responder's s)).</summary>
    ES,

    /// <summary><c>se</c>: MixKey(DH(initiator's s, responder's e)).</summary>
    SE,

    /// <summary><c>ss</c>: MixKey(DH(s, rs)).</summary>
    SS,

    /// <summary><c>psk</c>: MixKeyAndHash(next pre-shared key) (§9.2).</summary>
    Psk,
}

/// <summary>Spelling of <see cref="HandshakeToken"/> as the spec writes it.</summary>
public static class HandshakeTokens
{
    /// <summary>The spec's spelling of <paramref name="token"/>.</summary>
    public static string Spelling(this HandshakeToken token) => token switch
    {
        HandshakeToken.E => "e",
        HandshakeToken.S => "s",
        HandshakeToken.EE => "ee",
        HandshakeToken.ES => "es",
        HandshakeToken.SE => "se",
        HandshakeToken.SS => "ss",
        HandshakeToken.Psk => "psk",
        _ => throw new ArgumentOutOfRangeException(nameof(token)),
    };

    /// <summary>Parses the spec's spelling; false for anything else.</summary>
    public static bool TryParse(string text, out HandshakeToken token)
    {
        ArgumentNullException.ThrowIfNull(text);
        (bool ok, token) = text switch
        {
            "e" => (true, HandshakeToken.E),
            "s" => (true, HandshakeToken.S),
            "ee" => (true, HandshakeToken.EE),
            "es" => (true, HandshakeToken.ES),
            "se" => (true, HandshakeToken.SE),
            "ss" => (true, HandshakeToken.SS),
            "psk" => (true, HandshakeToken.Psk),
            _ => (false, default),
        };
        return ok;
    }
}
