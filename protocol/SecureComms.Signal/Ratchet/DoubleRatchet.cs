using Google.Protobuf;
using SecureComms.Crypto;
using SecureComms.Signal.Wire;

namespace SecureComms.Signal.Ratchet;

/// <summary>
/// The Double Ratchet (Perrin and Marlinspike, revision 1, 2016), as libsignal runs it, over a stored
/// <see cref="Proto.RatchetState"/>. It knows nothing of X3DH: it starts from a 64-byte shared secret
/// (root key ‖ chain key) and a ratchet key, whoever agreed them (Double Ratchet §5.1, §3.3).
/// </summary>
/// <remarks>
/// <para><b>Spec functions.</b> <see cref="RatchetEncrypt"/>, <see cref="RatchetDecrypt"/>,
/// <see cref="TrySkippedMessageKeys"/>, <see cref="SkipMessageKeys"/>, <see cref="DhRatchet"/>;
/// KDF_RK and KDF_CK in <see cref="RatchetKdf"/>. ENCRYPT is §5.2's recommendation: AES-256-CBC with
/// PKCS#7 and a truncated HMAC-SHA256 over the associated data and the whole serialized message
/// (<see cref="SignalMessage"/>).</para>
/// <para><b>libsignal's variant, for wire compatibility.</b> (1) The X3DH chain key is used at once: the
/// responder sends on it with its signed prekey as ratchet key, and the initiator receives on it.
/// (2) Instead of deriving the previous receiving chain's skipped keys up to PN at each DH step (§3.5),
/// the last <see cref="SessionLimits.MaxReceiverChains"/> receiver chains are kept with their chain keys
/// and a late message derives its key on demand; PN is sent but not needed. (3) Skipped keys are kept per
/// chain, at most <see cref="SessionLimits.MaxMessageKeys"/>, the oldest evicted.</para>
/// <para><b>Failure.</b> Decryption mutates the state it is given; the session layer hands it a copy and
/// commits the copy only when the message authenticated and decrypted.</para>
/// </remarks>
internal sealed class DoubleRatchet
{
    private readonly Proto.RatchetState _state;

    /// <summary>Works on <paramref name="state"/> in place.</summary>
    public DoubleRatchet(Proto.RatchetState state) => _state = state;

    /// <summary>The ratchet public key we currently send under.</summary>
    public X25519PublicKey SenderRatchetKey => PublicKeyEncoding.Decode(_state.SenderChain.RatchetKey.Span, "The sender ratchet key");

    /// <summary>
    /// RatchetInitAlice: the initiator receives on the shared chain key under the responder's ratchet key,
    /// then makes its own sending chain by a DH step with a fresh ratchet key.
    /// </summary>
    public static Proto.RatchetState InitAlice(ReadOnlySpan<byte> sharedSecret, X25519PublicKey theirRatchetKey)
    {
        var state = new Proto.RatchetState();
        // Stryker disable once all : equivalent; kept as libsignal keeps it. The responder never sends on this chain
        // (it speaks only after a DH ratchet step), and the slot it takes among the five receiver chains changes
        // nothing: it is the first evicted, at the same step at which the five would otherwise first be full.
        state.ReceiverChains.Add(NewChain(theirRatchetKey, null, sharedSecret[RatchetKdf.KeySizeInBytes..]));
        using X25519PrivateKey sendingKey = X25519PrivateKey.Generate(exportable: true);
        Span<byte> rootKey = stackalloc byte[RatchetKdf.KeySizeInBytes];
        Span<byte> chainKey = stackalloc byte[RatchetKdf.KeySizeInBytes];
        RatchetKdf.KdfRk(sharedSecret[..RatchetKdf.KeySizeInBytes], Agree(sendingKey, theirRatchetKey), rootKey, chainKey);
        state.RootKey = ByteString.CopyFrom(rootKey);
        state.SenderChain = NewChain(sendingKey.PublicKey, sendingKey, chainKey);
        return state;
    }

    /// <summary>RatchetInitBob: the responder sends on the shared chain key under its ratchet key pair.</summary>
    public static Proto.RatchetState InitBob(ReadOnlySpan<byte> sharedSecret, X25519PrivateKey ourRatchetKey) => new()
    {
        RootKey = ByteString.CopyFrom(sharedSecret[..RatchetKdf.KeySizeInBytes]),
        SenderChain = NewChain(ourRatchetKey.PublicKey, ourRatchetKey, sharedSecret[RatchetKdf.KeySizeInBytes..]),
    };

    /// <summary>RatchetEncrypt: the next message of the sending chain.</summary>
    /// <exception cref="SignalProtocolException">InvalidRecord when the chain's 2³² counters are spent.</exception>
    public SignalMessage RatchetEncrypt(ReadOnlySpan<byte> plaintext, AssociatedData ad)
    {
        Proto.ChainKey chainKey = _state.SenderChain.ChainKey;
        if (chainKey.Index == uint.MaxValue)
        {
            throw new SignalProtocolException(SignalError.InvalidRecord, "The sending chain has used every counter.", chainKey.Index, uint.MaxValue);
        }
        (byte[] next, MessageKeys keys) = RatchetKdf.KdfCk(chainKey.Key.Span, chainKey.Index);
        byte[] ciphertext;
        using (var cbc = new Aes256Cbc(keys.CipherKey))
        {
            ciphertext = new byte[Aes256Cbc.CiphertextLength(plaintext.Length)];
            cbc.Encrypt(keys.Iv, plaintext, ciphertext);
        }
        SignalMessage message = SignalMessage.Create(keys.MacKey, SenderRatchetKey, chainKey.Index, _state.PreviousCounter, ciphertext, ad.Sender, ad.Receiver);
        _state.SenderChain.ChainKey = new Proto.ChainKey { Index = chainKey.Index + 1, Key = ByteString.CopyFrom(next) };
        return message;
    }

    /// <summary>RatchetDecrypt: authenticates and decrypts <paramref name="message"/>, advancing the state.</summary>
    /// <exception cref="SignalProtocolException">
    /// DuplicateMessage, TooFarInFuture, BadMac, InvalidMessage (bad padding), InvalidKey (a low-order
    /// ratchet key). The state may be partly advanced: callers discard it.
    /// </exception>
    public byte[] RatchetDecrypt(SignalMessage message, AssociatedData ad)
    {
        Proto.Chain chain = ReceiverChain(message.RatchetKey) ?? DhRatchet(message.RatchetKey);
        MessageKeys keys = chain.ChainKey.Index > message.Counter
            ? TrySkippedMessageKeys(chain, message.Counter)
                ?? throw new SignalProtocolException(SignalError.DuplicateMessage, $"Message {message.Counter} was already received (chain at {chain.ChainKey.Index}).", message.Counter, chain.ChainKey.Index)
            : SkipMessageKeys(chain, message.Counter, withSelf: ad.Sender.Equals(ad.Receiver));
        if (!message.VerifyMac(keys.MacKey, ad.Sender, ad.Receiver))
        {
            throw new SignalProtocolException(SignalError.BadMac, "The message MAC does not verify.");
        }
        using var cbc = new Aes256Cbc(keys.CipherKey);
        byte[] plaintext = new byte[message.Ciphertext.Length];
        if (!cbc.TryDecrypt(keys.Iv, message.Ciphertext, plaintext, out int written))
        {
            throw new SignalProtocolException(SignalError.InvalidMessage, "The ciphertext does not decrypt (length or padding).");
        }
        return plaintext[..written];
    }

    /// <summary>
    /// TrySkippedMessageKeys: the stored key of message <paramref name="counter"/> of <paramref name="chain"/>,
    /// removed from the store (each key decrypts once); null if there is none.
    /// </summary>
    public static MessageKeys? TrySkippedMessageKeys(Proto.Chain chain, uint counter)
    {
        for (int i = 0; i < chain.MessageKeys.Count; i++)
        {
            if (chain.MessageKeys[i].Index == counter)
            {
                MessageKeys keys = MessageKeys.FromStored(chain.MessageKeys[i]);
                chain.MessageKeys.RemoveAt(i);
                return keys;
            }
        }
        return null;
    }

    /// <summary>
    /// SkipMessageKeys: advances <paramref name="chain"/> to <paramref name="until"/>, storing the keys of the
    /// messages skipped, and returns the keys of message <paramref name="until"/> (the chain then stands at
    /// until + 1).
    /// </summary>
    /// <remarks>In a session with ourselves (our other device: same identity on both ends) the jump is not
    /// limited, as in libsignal (<c>session_with_self</c>); only the holder of our identity key can start one.</remarks>
    /// <exception cref="SignalProtocolException">TooFarInFuture past <see cref="SessionLimits.MaxForwardJumps"/>.</exception>
    public static MessageKeys SkipMessageKeys(Proto.Chain chain, uint until, bool withSelf = false)
    {
        uint index = chain.ChainKey.Index;
        long jump = (long)until - index;
        if (jump > SessionLimits.MaxForwardJumps && !withSelf)
        {
            throw new SignalProtocolException(SignalError.TooFarInFuture, $"Message {until} is {jump} past the chain at {index}, more than {SessionLimits.MaxForwardJumps}.", jump, SessionLimits.MaxForwardJumps);
        }
        byte[] key = chain.ChainKey.Key.ToByteArray();
        MessageKeys keys;
        while (true)
        {
            (byte[] next, keys) = RatchetKdf.KdfCk(key, index);
            key = next;
            if (index == until)
            {
                break;
            }
            chain.MessageKeys.Insert(0, keys.ToStored());
            if (chain.MessageKeys.Count > SessionLimits.MaxMessageKeys)
            {
                chain.MessageKeys.RemoveAt(chain.MessageKeys.Count - 1);
            }
            index++;
        }
        chain.ChainKey = new Proto.ChainKey { Index = until + 1, Key = ByteString.CopyFrom(key) };
        return keys;
    }

    /// <summary>
    /// DHRatchet: on a new ratchet key from the peer, a receiving chain from DH(our key, theirs), then a fresh
    /// ratchet key and a sending chain from DH(new key, theirs). Returns the new receiving chain.
    /// </summary>
    public Proto.Chain DhRatchet(X25519PublicKey theirRatchetKey)
    {
        Span<byte> rootKey = stackalloc byte[RatchetKdf.KeySizeInBytes];
        Span<byte> chainKey = stackalloc byte[RatchetKdf.KeySizeInBytes];
        using (X25519PrivateKey ours = X25519PrivateKey.Import(_state.SenderChain.RatchetKeyPrivate.Span))
        {
            RatchetKdf.KdfRk(_state.RootKey.Span, Agree(ours, theirRatchetKey), rootKey, chainKey);
        }
        Proto.Chain receiving = NewChain(theirRatchetKey, null, chainKey);
        _state.ReceiverChains.Add(receiving);
        if (_state.ReceiverChains.Count > SessionLimits.MaxReceiverChains)
        {
            _state.ReceiverChains.RemoveAt(0);
        }

        using X25519PrivateKey fresh = X25519PrivateKey.Generate(exportable: true);
        RatchetKdf.KdfRk(rootKey, Agree(fresh, theirRatchetKey), rootKey, chainKey);
        _state.RootKey = ByteString.CopyFrom(rootKey);
        uint sent = _state.SenderChain.ChainKey.Index;
        _state.PreviousCounter = sent > 0 ? sent - 1 : 0;
        _state.SenderChain = NewChain(fresh.PublicKey, fresh, chainKey);
        return receiving;
    }

    private Proto.Chain? ReceiverChain(X25519PublicKey theirRatchetKey)
    {
        byte[] serialized = PublicKeyEncoding.Serialize(theirRatchetKey);
        foreach (Proto.Chain chain in _state.ReceiverChains)
        {
            if (chain.RatchetKey.Span.SequenceEqual(serialized)) // public data: ratchet keys
            {
                return chain;
            }
        }
        return null;
    }

    private static Proto.Chain NewChain(X25519PublicKey ratchetKey, X25519PrivateKey? privateKey, ReadOnlySpan<byte> chainKey)
    {
        var chain = new Proto.Chain
        {
            RatchetKey = ByteString.CopyFrom(PublicKeyEncoding.Serialize(ratchetKey)),
            ChainKey = new Proto.ChainKey { Index = 0, Key = ByteString.CopyFrom(chainKey) },
        };
        if (privateKey is not null)
        {
            byte[] exported = new byte[X25519PrivateKey.SizeInBytes];
            privateKey.Export(exported);
            chain.RatchetKeyPrivate = ByteString.CopyFrom(exported);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(exported);
        }
        return chain;
    }

    /// <summary>DH(ours, theirs); a low-order peer key (all-zero output) is refused.</summary>
    private static byte[] Agree(X25519PrivateKey ours, X25519PublicKey theirs)
    {
        byte[] shared = new byte[X25519.SharedSecretSizeInBytes];
        if (X25519.Agree(ours, theirs, shared) != AgreementResult.Success)
        {
            throw new SignalProtocolException(SignalError.InvalidKey, "The peer's ratchet key has low order.");
        }
        return shared;
    }
}
