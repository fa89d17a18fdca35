using System.Security.Cryptography;
using SecureComms.Crypto;

namespace SecureComms.Channel.Noise;

/// <summary>
/// Noise §5.3 <c>HandshakeState</c>: a <see cref="SymmetricState"/>, the DH variables <c>s</c>, <c>e</c>,
/// <c>rs</c>, <c>re</c>, the role and the remaining message patterns, interpreted token by token from a
/// <see cref="HandshakePattern"/> (§5.3 WriteMessage / ReadMessage, §9.2 psk tokens).
/// </summary>
/// <remarks>
/// <para><b>References.</b> Noise rev. 34 §5.3, §7 (patterns), §9 (PSK: <c>psk</c> → MixKeyAndHash; every
/// <c>e</c> also MixKey(e.public_key)), §12.1 (25519), §3 (65535-byte messages).</para>
/// <para><b>Failure policy.</b> Any refusal of <see cref="ReadMessage(ReadOnlySpan{byte}, Span{byte})"/> or
/// <see cref="WriteMessage(ReadOnlySpan{byte}, Span{byte})"/> (<see cref="NoiseException"/>: short, oversized or
/// tampered message, small-order key) leaves this HandshakeState <b>unusable</b>: its secrets are wiped, the
/// payload buffer is zeroed, and every later call throws <see cref="InvalidOperationException"/> (§5: "the
/// handshake has failed and the HandshakeState is deleted"). Caller misuse (a buffer too small, a payload too
/// large, a call out of turn) throws <see cref="ArgumentException"/> or <see cref="InvalidOperationException"/>
/// before anything changes.</para>
/// <para><b>Keys.</b> The local static key <c>s</c> stays the caller's (not disposed here). Ephemeral keys and
/// copies of the PSKs are owned and wiped when the handshake completes, fails or is disposed. A static key the
/// pattern does not use is ignored; a remote static key is accepted only when the peer's pre-message declares it.</para>
/// <para><b>Hazards.</b> Small-order peer keys are refused (<see cref="NoiseError.NonContributoryKey"/>), which §12.1
/// allows but discourages; the peer's static key is authenticated only once the handshake completes, and who it
/// belongs to is the application's decision (identity certificates, a later part of issue 6). Payloads sent
/// before the final message have the weaker properties of §7.7. Not thread-safe.</para>
/// </remarks>
public sealed class HandshakeState : IDisposable
{
    private readonly NoiseProtocolName _protocol;
    private readonly bool _initiator;
    private readonly SymmetricState _symmetric;
    private readonly X25519PrivateKey? _s;
    private readonly PresharedKey[] _psks;
    private X25519PrivateKey? _e;
    private X25519PrivateKey? _injectedEphemeral;
    private X25519PublicKey? _rs;
    private X25519PublicKey? _re;
    private int _nextMessage;
    private int _nextPsk;
    private Phase _phase = Phase.InProgress;
    private TransportState? _transport;

    /// <summary>
    /// §5.3 Initialize(handshake_pattern, initiator, prologue, s, e, rs, re), with <c>e</c> and <c>re</c> empty
    /// (no fallback patterns) and the PSKs the pattern's <c>psk</c> tokens consume, in order.
    /// </summary>
    /// <exception cref="ArgumentException">A key the pattern needs is missing, <paramref name="remoteStaticKey"/> is
    /// given for a pattern that transmits it, or the number of PSKs is not the pattern's.</exception>
    public HandshakeState(
        NoiseProtocolName protocol,
        bool initiator,
        ReadOnlySpan<byte> prologue,
        X25519PrivateKey? localStaticKey = null,
        X25519PublicKey? remoteStaticKey = null,
        IReadOnlyList<PresharedKey>? presharedKeys = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var pattern = protocol.Pattern;
        presharedKeys ??= [];
        if (NeedsLocalStatic(pattern, initiator) && localStaticKey is null)
        {
            throw new ArgumentException($"{pattern.Name} needs the local static key as {(initiator ? "initiator" : "responder")}.", nameof(localStaticKey));
        }
        bool remoteDeclared = (initiator ? pattern.ResponderPreMessage : pattern.InitiatorPreMessage).Contains(HandshakeToken.S);
        if (remoteDeclared != remoteStaticKey is not null)
        {
            throw new ArgumentException(
                remoteDeclared ? $"{pattern.Name} needs the peer's static key in advance." : $"{pattern.Name} transmits the peer's static key: rs must be empty.",
                nameof(remoteStaticKey));
        }
        if (presharedKeys.Count != pattern.PskCount || presharedKeys.Any(k => k is null))
        {
            throw new ArgumentException($"{pattern.Name} takes exactly {pattern.PskCount} pre-shared keys.", nameof(presharedKeys));
        }
        _protocol = protocol;
        _initiator = initiator;
        _s = NeedsLocalStatic(pattern, initiator) ? localStaticKey : null;
        _rs = remoteStaticKey;
        _psks = [.. presharedKeys.Select(k => PresharedKey.Import(k.Bytes))];
        _symmetric = new SymmetricState(protocol.ToBytes());
        _symmetric.MixHash(prologue);
        MixPreMessage(pattern.InitiatorPreMessage, _initiator ? _s?.PublicKey : _rs);
        MixPreMessage(pattern.ResponderPreMessage, _initiator ? _rs : _s?.PublicKey);
    }

    private enum Phase { InProgress, Complete, Failed, Disposed }

    /// <summary>The protocol this handshake runs.</summary>
    public NoiseProtocolName Protocol => _protocol;

    /// <summary>Whether this party is the initiator.</summary>
    public bool IsInitiator => _initiator;

    /// <summary>Whether the next handshake message is this party's to write (false once complete or failed).</summary>
    public bool IsMyTurn => _phase == Phase.InProgress && _protocol.Pattern.Messages[_nextMessage].FromInitiator == _initiator;

    /// <summary>Whether every message pattern has been processed and the transport keys are ready.</summary>
    public bool IsComplete => _phase == Phase.Complete;

    /// <summary>Whether a refused message ended this handshake (it is unusable).</summary>
    public bool HasFailed => _phase == Phase.Failed;

    /// <summary>The peer's static key <c>rs</c>, once known (pre-message or decrypted).</summary>
    public X25519PublicKey? RemoteStaticKey => _rs;

    /// <summary>
    /// §5.3 WriteMessage(payload, message_buffer): processes this party's next message pattern into
    /// <paramref name="message"/> and returns the bytes written. After the last message, <see cref="TakeTransport"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not this party's turn, complete, failed or disposed.</exception>
    /// <exception cref="ArgumentException">The message would exceed 65535 bytes, or the buffer is too small.</exception>
    /// <exception cref="NoiseException">A DH with the peer's key was non-contributory; the handshake is unusable.</exception>
    public int WriteMessage(ReadOnlySpan<byte> payload, Span<byte> message)
    {
        var pattern = NextPattern(sending: true);
        int length = MessageLength(pattern, payload.Length);
        if (length > NoiseLimits.MaxMessageLength)
        {
            throw new ArgumentException($"A {payload.Length}-byte payload makes a {length}-byte message, over {NoiseLimits.MaxMessageLength}.", nameof(payload));
        }
        if (message.Length < length)
        {
            throw new ArgumentException($"Message buffer must hold {length} bytes.", nameof(message));
        }
        try
        {
            int offset = 0;
            foreach (var token in pattern.Tokens)
            {
                offset += WriteToken(token, message[offset..]);
            }
            offset += _symmetric.EncryptAndHash(payload, message[offset..]);
            Advance();
            return offset;
        }
        catch
        {
            CryptographicOperations.ZeroMemory(message[..length]);
            Fail();
            throw;
        }
    }

    /// <summary>WriteMessage into a new array of the exact length.</summary>
    public byte[] WriteMessage(ReadOnlySpan<byte> payload)
    {
        var message = new byte[Math.Min(MessageLength(NextPattern(sending: true), payload.Length), NoiseLimits.MaxMessageLength + 1)];
        WriteMessage(payload, message);
        return message;
    }

    /// <summary>
    /// §5.3 ReadMessage(message, payload_buffer): processes the peer's next message pattern over
    /// <paramref name="message"/>, writes its payload and returns the payload's length. After the last message,
    /// <see cref="TakeTransport"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not the peer's turn, complete, failed or disposed.</exception>
    /// <exception cref="ArgumentException"><paramref name="payload"/> is too small for this message's payload.</exception>
    /// <exception cref="NoiseException">The message is refused (<see cref="NoiseError.MessageTooShort"/>,
    /// <see cref="NoiseError.MessageTooLarge"/>, <see cref="NoiseError.DecryptionFailed"/>,
    /// <see cref="NoiseError.NonContributoryKey"/>); the handshake is then unusable and the payload buffer zeroed.</exception>
    public int ReadMessage(ReadOnlySpan<byte> message, Span<byte> payload)
    {
        var pattern = NextPattern(sending: false);
        int payloadLength = PayloadLength(pattern, message.Length);
        if (payloadLength > payload.Length)
        {
            throw new ArgumentException($"Payload buffer must hold {payloadLength} bytes.", nameof(payload));
        }
        try
        {
            int offset = 0;
            foreach (var token in pattern.Tokens)
            {
                offset += ReadToken(token, message[offset..]);
            }
            int written = _symmetric.DecryptAndHash(message[offset..], payload);
            Advance();
            return written;
        }
        catch
        {
            CryptographicOperations.ZeroMemory(payload[..payloadLength]);
            Fail();
            throw;
        }
    }

    /// <summary>ReadMessage into a new array of the payload's exact length.</summary>
    public byte[] ReadMessage(ReadOnlySpan<byte> message)
    {
        var pattern = NextPattern(sending: false);
        var payload = new byte[PayloadLength(pattern, message.Length)];
        ReadMessage(message, payload);
        return payload;
    }

    /// <summary>
    /// The transport keys of a completed handshake (Split's two CipherStates, by role), handed over once: the
    /// caller owns and disposes the result.
    /// </summary>
    /// <exception cref="InvalidOperationException">The handshake is not complete, or they were already taken.</exception>
    public TransportState TakeTransport()
    {
        var transport = _transport ?? throw new InvalidOperationException(
            _phase == Phase.Complete ? "The transport keys were already taken." : "The handshake is not complete.");
        _transport = null;
        return transport;
    }

    /// <summary>Wipes every secret this handshake owns (and untaken transport keys). Idempotent.</summary>
    public void Dispose()
    {
        WipeHandshakeSecrets();
        _transport?.Dispose();
        _transport = null;
        _phase = Phase.Disposed;
    }

    /// <summary>Shows the protocol, role and progress; never a key.</summary>
    public override string ToString() =>
        $"HandshakeState({_protocol.Name}, {(_initiator ? "initiator" : "responder")}, message {_nextMessage}, {_phase})";

    /// <summary>Test hook: the ephemeral key the next <c>e</c> token uses instead of a fresh one (the published
    /// vectors fix both parties' ephemerals). Takes ownership of <paramref name="ephemeral"/>.</summary>
    internal void InjectEphemeral(X25519PrivateKey ephemeral)
    {
        ArgumentNullException.ThrowIfNull(ephemeral);
        _injectedEphemeral?.Dispose();
        _injectedEphemeral = ephemeral;
    }

    private static bool NeedsLocalStatic(HandshakePattern pattern, bool initiator)
    {
        var ownPre = initiator ? pattern.InitiatorPreMessage : pattern.ResponderPreMessage;
        var ownDh = initiator ? HandshakeToken.SE : HandshakeToken.ES;
        return ownPre.Contains(HandshakeToken.S)
            || pattern.Messages.Any(m => m.Tokens.Contains(ownDh) || m.Tokens.Contains(HandshakeToken.SS)
                || (m.FromInitiator == initiator && m.Tokens.Contains(HandshakeToken.S)));
    }

    private void MixPreMessage(IReadOnlyList<HandshakeToken> tokens, X25519PublicKey? key)
    {
        // Pre-messages hold only s here (the table has no pre-message e: no fallback patterns), and the constructor
        // checked that the key of every declared s is present.
        foreach (var _ in tokens.Where(t => t == HandshakeToken.S))
        {
            _symmetric.MixHash(key!.Bytes);
        }
    }

    private MessagePattern NextPattern(bool sending)
    {
        ObjectDisposedException.ThrowIf(_phase == Phase.Disposed, this);
        if (_phase != Phase.InProgress)
        {
            throw new InvalidOperationException(_phase == Phase.Failed
                ? "The handshake failed and is unusable: start a new one."
                : "The handshake is complete: use the transport keys.");
        }
        var pattern = _protocol.Pattern.Messages[_nextMessage];
        if ((pattern.FromInitiator == _initiator) != sending)
        {
            throw new InvalidOperationException(sending ? "It is the peer's turn to send." : "It is this party's turn to send.");
        }
        return pattern;
    }

    /// <summary>Bytes of a message before its payload (keys and their tags), and whether the payload gets a tag:
    /// a replay of HasKey() over the tokens (a DH, a psk, or an e in a PSK handshake sets a key).</summary>
    private (int Overhead, bool PayloadEncrypted) Overhead(MessagePattern pattern)
    {
        bool hasKey = _symmetric.HasKey();
        int overhead = 0;
        foreach (var token in pattern.Tokens)
        {
            switch (token)
            {
                case HandshakeToken.E:
                    overhead += NoiseLimits.DhLength;
                    hasKey |= _protocol.Pattern.PskCount > 0;
                    break;
                case HandshakeToken.S:
                    overhead += NoiseLimits.DhLength + (hasKey ? NoiseLimits.TagLength : 0);
                    break;
                default:
                    hasKey = true;
                    break;
            }
        }
        return (overhead, hasKey);
    }

    /// <summary>The payload length of a received message, refusing sizes the pattern cannot have (before any state change).</summary>
    /// <summary>The length of a message of <paramref name="pattern"/> carrying <paramref name="payloadLength"/> bytes.</summary>
    private int MessageLength(MessagePattern pattern, int payloadLength)
    {
        (int overhead, bool payloadEncrypted) = Overhead(pattern);
        return overhead + payloadLength + (payloadEncrypted ? NoiseLimits.TagLength : 0);
    }

    private int PayloadLength(MessagePattern pattern, int messageLength)
    {
        if (messageLength > NoiseLimits.MaxMessageLength)
        {
            Fail();
            throw new NoiseException(NoiseError.MessageTooLarge, $"Message of {messageLength} bytes exceeds {NoiseLimits.MaxMessageLength}.");
        }
        int minimum = MessageLength(pattern, 0);
        if (messageLength < minimum)
        {
            Fail();
            throw new NoiseException(NoiseError.MessageTooShort, $"Message of {messageLength} bytes is shorter than the {minimum} its pattern needs.");
        }
        return messageLength - minimum;
    }

    private int WriteToken(HandshakeToken token, Span<byte> output)
    {
        switch (token)
        {
            case HandshakeToken.E:
                _e = _injectedEphemeral ?? X25519PrivateKey.Generate();
                _injectedEphemeral = null;
                _e.PublicKey.Bytes.CopyTo(output);
                MixEphemeral(_e.PublicKey.Bytes);
                return NoiseLimits.DhLength;
            case HandshakeToken.S:
                return _symmetric.EncryptAndHash(_s!.PublicKey.Bytes, output);
            default:
                MixToken(token);
                return 0;
        }
    }

    private int ReadToken(HandshakeToken token, ReadOnlySpan<byte> input)
    {
        switch (token)
        {
            case HandshakeToken.E:
                _re = X25519PublicKey.Decode(input[..NoiseLimits.DhLength]);
                MixEphemeral(_re.Bytes);
                return NoiseLimits.DhLength;
            case HandshakeToken.S:
                int length = _symmetric.CiphertextLength(NoiseLimits.DhLength);
                Span<byte> key = stackalloc byte[NoiseLimits.DhLength];
                _symmetric.DecryptAndHash(input[..length], key);
                _rs = X25519PublicKey.Decode(key);
                return length;
            default:
                MixToken(token);
                return 0;
        }
    }

    /// <summary>§5.3 e token: MixHash(e.public_key), and in a PSK handshake MixKey(e.public_key) (§9.2).</summary>
    private void MixEphemeral(ReadOnlySpan<byte> publicKey)
    {
        _symmetric.MixHash(publicKey);
        if (_protocol.Pattern.PskCount > 0)
        {
            _symmetric.MixKey(publicKey);
        }
    }

    /// <summary>The DH tokens (§5.3; "es" is the initiator's e with the responder's s, whoever sends) and psk (§9.2).</summary>
    private void MixToken(HandshakeToken token)
    {
        switch (token)
        {
            case HandshakeToken.EE:
                MixDh(_e, _re);
                break;
            case HandshakeToken.ES when _initiator:
                MixDh(_e, _rs);
                break;
            case HandshakeToken.ES:
                MixDh(_s, _re);
                break;
            case HandshakeToken.SE when _initiator:
                MixDh(_s, _re);
                break;
            case HandshakeToken.SE:
                MixDh(_e, _rs);
                break;
            case HandshakeToken.SS:
                MixDh(_s, _rs);
                break;
            case HandshakeToken.Psk:
                _symmetric.MixKeyAndHash(_psks[_nextPsk++].Bytes);
                break;
            default:
                throw new InvalidOperationException($"Token {token} is not a DH or psk token.");
        }
    }

    /// <summary>MixKey(DH(private, public)), refusing an all-zero result; the DH output is wiped.</summary>
    private void MixDh(X25519PrivateKey? privateKey, X25519PublicKey? publicKey)
    {
        Span<byte> shared = stackalloc byte[X25519.SharedSecretSizeInBytes];
        try
        {
            // Both keys are present in a valid pattern: the table's patterns only use keys already sent or declared.
            if (X25519.Agree(privateKey!, publicKey!, shared) != AgreementResult.Success)
            {
                throw new NoiseException(NoiseError.NonContributoryKey, "The peer's key is of small order (all-zero DH output).");
            }
            _symmetric.MixKey(shared);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    private void Advance()
    {
        _nextMessage++;
        if (_nextMessage < _protocol.Pattern.Messages.Count)
        {
            return;
        }
        var (c1, c2) = _symmetric.Split();
        byte[] hash = _symmetric.GetHandshakeHash();
        if (_protocol.Pattern.IsOneWay)
        {
            c2.Dispose();
            _transport = _initiator ? new TransportState(c1, null, hash, _rs) : new TransportState(null, c1, hash, _rs);
        }
        else
        {
            _transport = _initiator ? new TransportState(c1, c2, hash, _rs) : new TransportState(c2, c1, hash, _rs);
        }
        WipeHandshakeSecrets();
        _phase = Phase.Complete;
    }

    private void Fail()
    {
        WipeHandshakeSecrets();
        _phase = Phase.Failed;
    }

    private void WipeHandshakeSecrets()
    {
        _symmetric.Dispose();
        _e?.Dispose();
        _e = null;
        _injectedEphemeral?.Dispose();
        _injectedEphemeral = null;
        foreach (var psk in _psks)
        {
            psk.Dispose();
        }
    }
}
