namespace SecureComms.Channel.Noise;

/// <summary>
/// What a completed handshake hands over (§5: "returns two CipherState objects"): this party's sending and
/// receiving <see cref="CipherState"/>s from <see cref="SymmetricState.Split"/>, the handshake hash <c>h</c> for
/// channel binding (§11.2), and the peer's static key when the pattern gave one.
/// </summary>
/// <remarks>
/// <para>The initiator sends with c1 and receives with c2; the responder the reverse. In a one-way pattern
/// (§7.4) the responder has no <see cref="Sender"/> and the initiator no <see cref="Receiver"/>: c2 is wiped at
/// once, as the spec requires that it never be used.</para>
/// <para>Transport messages use zero-length associated data (§5). The caller owns this object and disposes it.</para>
/// </remarks>
public sealed class TransportState : IDisposable
{
    internal TransportState(CipherState? sender, CipherState? receiver, byte[] handshakeHash, Crypto.X25519PublicKey? remoteStaticKey)
    {
        Sender = sender;
        Receiver = receiver;
        HandshakeHash = Array.AsReadOnly(handshakeHash);
        RemoteStaticKey = remoteStaticKey;
    }

    /// <summary>The CipherState this party encrypts with; null for the recipient of a one-way pattern.</summary>
    public CipherState? Sender { get; }

    /// <summary>The CipherState this party decrypts with; null for the sender of a one-way pattern.</summary>
    public CipherState? Receiver { get; }

    /// <summary>§5.2 GetHandshakeHash(): the final <c>h</c> (public; unique to this handshake).</summary>
    public IReadOnlyList<byte> HandshakeHash { get; }

    /// <summary>The peer's static public key (<c>rs</c>), when the pattern has one.</summary>
    public Crypto.X25519PublicKey? RemoteStaticKey { get; }

    /// <summary>Encrypts a transport message: EncryptWithAd(zerolen, payload). Returns the bytes written.</summary>
    /// <exception cref="InvalidOperationException">This party may not send (one-way recipient).</exception>
    public int WriteMessage(ReadOnlySpan<byte> payload, Span<byte> message) =>
        (Sender ?? throw new InvalidOperationException("The recipient of a one-way pattern never sends.")).EncryptWithAd([], payload, message);

    /// <summary>Decrypts a transport message: DecryptWithAd(zerolen, message). Returns the bytes written.</summary>
    /// <exception cref="NoiseException">The message does not authenticate, or the nonce is exhausted.</exception>
    public int ReadMessage(ReadOnlySpan<byte> message, Span<byte> payload) =>
        (Receiver ?? throw new InvalidOperationException("The sender of a one-way pattern never receives.")).DecryptWithAd([], message, payload);

    /// <summary>Wipes both keys. Idempotent.</summary>
    public void Dispose()
    {
        Sender?.Dispose();
        Receiver?.Dispose();
    }

    /// <summary>Shows the directions only.</summary>
    public override string ToString() => $"TransportState(send: {Sender is not null}, receive: {Receiver is not null})";
}
