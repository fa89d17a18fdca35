using SecureComms.Channel.Noise;
using SecureComms.Vectors;

namespace SecureComms.Interop.Noise;

/// <summary>One message's payload as its sender chose it and as the other party decrypted it.</summary>
/// <param name="FromUs">Whether SecureComms sent it (else the peer).</param>
/// <param name="Sent">The payload given to the sender.</param>
/// <param name="Received">What the receiver returned; null when it refused the message.</param>
public sealed record NoiseDelivery(bool FromUs, byte[] Sent, byte[]? Received)
{
    /// <summary>Whether the receiver returned exactly the payload that was sent.</summary>
    public bool Delivered => Received is not null && Sent.AsSpan().SequenceEqual(Received);
}

/// <summary>
/// What happened in one live handshake between SecureComms and another implementation's shim: every payload in
/// both directions, both parties' handshake hashes and views of each other's static key, and who refused what.
/// </summary>
/// <remarks>
/// Public data only (payloads are random test bytes, keys are public keys, hashes are public). A run that
/// stops at a refusal leaves the later fields null and lists only the messages exchanged before it.
/// </remarks>
public sealed class NoiseInteropTranscript
{
    /// <summary>The protocol played.</summary>
    public required NoiseProtocolName Protocol { get; init; }

    /// <summary>Whether SecureComms was the initiator.</summary>
    public required bool WeInitiate { get; init; }

    /// <summary>The peer implementation's name.</summary>
    public required string Peer { get; init; }

    /// <summary>The handshake messages' payloads, in order.</summary>
    public List<NoiseDelivery> HandshakePayloads { get; } = [];

    /// <summary>The transport messages' payloads, in order.</summary>
    public List<NoiseDelivery> TransportMessages { get; } = [];

    /// <summary>Our static public key, and the one we gave the peer to know us by.</summary>
    public required byte[] OurStatic { get; init; }

    /// <summary>The peer's static public key (derived from the private key it was given).</summary>
    public required byte[] TheirStatic { get; init; }

    /// <summary>Our handshake hash <c>h</c> (§5.2 GetHandshakeHash); null unless our handshake completed.</summary>
    public byte[]? OurHandshakeHash { get; set; }

    /// <summary>The peer's handshake hash; null unless its handshake completed.</summary>
    public byte[]? TheirHandshakeHash { get; set; }

    /// <summary>The peer's static key as our completed handshake authenticated it.</summary>
    public byte[]? OurViewOfTheirStatic { get; set; }

    /// <summary>Our static key as the peer's completed handshake reported it.</summary>
    public byte[]? TheirViewOfOurStatic { get; set; }

    /// <summary>Our HandshakeState's refusal of a peer message, if any.</summary>
    public NoiseError? OurRefusal { get; set; }

    /// <summary>The peer's refusal of one of our messages, in its own words, if any.</summary>
    public string? TheirRefusal { get; set; }

    /// <summary>Whether both parties completed the handshake.</summary>
    public bool Completed => OurHandshakeHash is not null && TheirHandshakeHash is not null;

    /// <summary>"XX, securecomms→peer" style label for reports.</summary>
    public string Label => $"{Protocol.Pattern.Name}, {(WeInitiate ? $"securecomms→{Peer}" : $"{Peer}→securecomms")}";

    /// <summary>
    /// The positive scenario's verdict: both completed, equal hashes, each side authenticated the other's static
    /// key, every handshake payload and the expected number of transport messages in each direction delivered.
    /// </summary>
    public Verdict CheckSuccess(int transportMessagesEachWay)
    {
        List<string> problems = [];
        if (!Completed)
        {
            problems.Add($"handshake did not complete (ours refused: {OurRefusal?.ToString() ?? "no"}, theirs refused: {TheirRefusal ?? "no"})");
        }
        else if (!OurHandshakeHash!.AsSpan().SequenceEqual(TheirHandshakeHash))
        {
            problems.Add($"handshake hashes differ: {Convert.ToHexStringLower(OurHandshakeHash!)} vs {Convert.ToHexStringLower(TheirHandshakeHash!)}");
        }
        if (Completed && !(OurViewOfTheirStatic ?? []).AsSpan().SequenceEqual(TheirStatic))
        {
            problems.Add("our handshake did not authenticate the peer's static key");
        }
        if (Completed && !(TheirViewOfOurStatic ?? []).AsSpan().SequenceEqual(OurStatic))
        {
            problems.Add("the peer's handshake did not report our static key");
        }
        if (HandshakePayloads.Count != Protocol.Pattern.Messages.Count || !HandshakePayloads.All(d => d.Delivered))
        {
            problems.Add($"{HandshakePayloads.Count(d => d.Delivered)} of {Protocol.Pattern.Messages.Count} handshake payloads delivered");
        }
        foreach (bool fromUs in new[] { true, false })
        {
            int delivered = TransportMessages.Count(d => d.FromUs == fromUs && d.Delivered);
            if (delivered != transportMessagesEachWay || TransportMessages.Count(d => d.FromUs == fromUs) != transportMessagesEachWay)
            {
                problems.Add($"{delivered} of {transportMessagesEachWay} transport messages {(fromUs ? "to" : "from")} the peer delivered");
            }
        }
        return problems.Count == 0 ? Verdict.Pass() : Verdict.Fail(string.Join("; ", problems));
    }

    /// <summary>
    /// The wrong-remote-static scenario's verdict: the responder (whoever it is) refused the first message, and
    /// neither party completed.
    /// </summary>
    public Verdict CheckRefusedByResponder()
    {
        bool responderRefused = WeInitiate ? TheirRefusal is not null : OurRefusal == NoiseError.DecryptionFailed;
        return Verdict.PassIf(
            responderRefused && !Completed && OurHandshakeHash is null && TheirHandshakeHash is null && HandshakePayloads.Count == 1 && !HandshakePayloads[0].Delivered,
            $"expected the responder to refuse message 1 (ours refused: {OurRefusal?.ToString() ?? "no"}, theirs refused: {TheirRefusal ?? "no"}, completed: {Completed})");
    }
}
