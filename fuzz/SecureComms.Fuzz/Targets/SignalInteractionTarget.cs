using System.Text;
using SecureComms.Signal;
using SecureComms.Signal.Wire;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// Fuzz target <c>signal-interaction</c>: Alice and Bob talk over a hostile network, one action per input
/// byte (after libsignal's <c>rust/protocol/fuzz/fuzz_targets/interaction.rs</c>, with delivery order,
/// drops, replays and tampering under the fuzzer's control instead of a seeded RNG).
/// </summary>
/// <remarks>
/// <para><b>Actions.</b> Bit 0 of an action byte picks the party ("me": 0 Alice, 1 Bob), bits 1–3 the
/// action, bits 4–7 a parameter; some actions read following bytes (a missing byte reads as 0).</para>
/// <list type="table">
/// <item><term>0 send</term><description>me encrypts a unique text (parameter × 17 bytes of padding) to
/// them; with no current session, me first processes a fresh bundle of theirs (the first sender starts the
/// session; both starting is simultaneous initiation).</description></item>
/// <item><term>1, 2 deliver</term><description>the oldest (1) or newest (2) message in flight to me.</description></item>
/// <item><term>3 deliver [i]</term><description>the in-flight message to me at index i mod count.</description></item>
/// <item><term>4 drop [i]</term><description>removes an in-flight message to me, never delivered.</description></item>
/// <item><term>5 replay [i]</term><description>delivers again a message already delivered to me.</description></item>
/// <item><term>6 tamper [i, bit:u16]</term><description>delivers a copy of a message to me (in flight if any,
/// else delivered) with one bit flipped; the original stays where it was.</description></item>
/// <item><term>7 reset</term><description>me archives its current session with them and processes a fresh
/// bundle of theirs, with a one-time prekey unless parameter bit 0 is set (at most <see cref="MaxResets"/>
/// resets in all, so that no record drops a session).</description></item>
/// </list>
/// <para><b>Oracles.</b> Only <see cref="SignalProtocolException"/> escapes a decryption, and encryption
/// and bundle processing succeed. An authentic message decrypts at most once, and only to its own
/// plaintext. A replayed message is refused. A tampered message is refused unless the flip left its
/// ratchet message intact (a PreKeySignalMessage's X3DH envelope, e.g. the registration id, is not
/// authenticated); then, if it decrypts, it counts as the delivery of the original. Every refusal leaves
/// the recipient's session record, recorded identity, prekeys and answered base keys byte-identical. Liveness, only while no
/// party has reset: the newest message a party sent, delivered for the first time, decrypts. (After a reset,
/// authentic messages may be refused, as libsignal refuses them.)</para>
/// <para><b>Randomness.</b> Keys come from the OS RNG, so no oracle depends on key bytes; the fuzzer's
/// choices alone decide the interleaving.</para>
/// </remarks>
public static class SignalInteractionTarget
{
    /// <summary>The target's name on the command line and in <c>fuzz/corpus/</c>.</summary>
    public const string Name = "signal-interaction";

    /// <summary>Actions read per input; the rest is ignored (keeps an execution in the milliseconds).</summary>
    public const int MaxActions = 256;

    /// <summary>
    /// Resets of both parties together. A record then never drops a session: each party starts at most one
    /// session without a reset, so a record holds at most 2 + resets sessions, and it keeps
    /// 1 + <see cref="SessionLimits.ArchivedStatesMaxLength"/>. That matters to the at-most-once oracle: a
    /// PreKeySignalMessage without a one-time prekey is, by X3DH's design (X3DH §4.2), accepted again once
    /// the session it started is gone, and that is not what this target looks for.
    /// </summary>
    public const int MaxResets = SessionLimits.ArchivedStatesMaxLength - 1;

    /// <summary>Runs one input.</summary>
    public static void Target(ReadOnlySpan<byte> data)
    {
        using var conversation = new Conversation();
        int position = 0;
        for (int actions = 0; actions < MaxActions && position < data.Length; actions++)
        {
            byte action = data[position++];
            int me = action & 1;
            int parameter = action >> 4;
            switch ((action >> 1) & 7)
            {
                case 0:
                    conversation.Send(me, parameter);
                    break;
                case 1:
                    conversation.DeliverInFlight(me, Pick.Oldest, 0);
                    break;
                case 2:
                    conversation.DeliverInFlight(me, Pick.Newest, 0);
                    break;
                case 3:
                    conversation.DeliverInFlight(me, Pick.Index, Next(data, ref position));
                    break;
                case 4:
                    conversation.Drop(me, Next(data, ref position));
                    break;
                case 5:
                    conversation.Replay(me, Next(data, ref position));
                    break;
                case 6:
                    int index = Next(data, ref position);
                    int bit = Next(data, ref position) | (Next(data, ref position) << 8);
                    conversation.Tamper(me, index, bit);
                    break;
                default:
                    conversation.Reset(me, oneTimePreKey: (parameter & 1) == 0);
                    break;
            }
        }
    }

    private static int Next(ReadOnlySpan<byte> data, ref int position) => position < data.Length ? data[position++] : 0;

    private enum Pick
    {
        Oldest,
        Newest,
        Index,
    }

    /// <summary>A message and what became of it.</summary>
    private sealed class Envelope(SentMessage message, int recipient)
    {
        public SentMessage Message { get; } = message;

        public int Recipient { get; } = recipient;

        public bool Delivered { get; set; }
    }

    private sealed class Conversation : IDisposable
    {
        private readonly SignalParty[] _parties =
        [
            new("alice", IdentityKeyPair.Generate(), 1111),
            new("bob", IdentityKeyPair.Generate(), 2222),
        ];

        private readonly List<Envelope>[] _inFlight = [[], []];
        private readonly List<Envelope>[] _delivered = [[], []];
        private readonly Envelope?[] _newestSent = [null, null];
        private readonly int[] _resets = [0, 0];
        private int _nextId;

        private bool AnyReset => _resets[0] + _resets[1] > 0;

        public void Send(int me, int padding)
        {
            SignalParty sender = _parties[me], recipient = _parties[1 - me];
            if (!sender.HasCurrentSession(recipient.Address))
            {
                sender.Cipher.ProcessPreKeyBundle(recipient.Address, recipient.NewBundle(oneTimePreKey: true));
            }
            int id = _nextId++;
            byte[] plaintext = [.. Encoding.UTF8.GetBytes($"{sender.Address.Name} → {recipient.Address.Name} #{id}"), .. new byte[padding * 17]];
            CiphertextMessage sent = sender.Cipher.Encrypt(recipient.Address, plaintext);
            var envelope = new Envelope(new SentMessage(id, sent.Type, sent.Serialized, plaintext), 1 - me);
            _inFlight[1 - me].Add(envelope);
            _newestSent[me] = envelope;
        }

        public void DeliverInFlight(int me, Pick pick, int index)
        {
            List<Envelope> queue = _inFlight[me];
            if (queue.Count == 0)
            {
                return;
            }
            int at = pick switch
            {
                Pick.Oldest => 0,
                Pick.Newest => queue.Count - 1,
                _ => index % queue.Count,
            };
            Envelope envelope = queue[at];
            queue.RemoveAt(at);
            bool mustDecrypt = !AnyReset && !envelope.Delivered && ReferenceEquals(_newestSent[1 - me], envelope);
            bool decrypted = Deliver(me, envelope, envelope.Message.Body, intact: true);
            FuzzFindingException.Require(decrypted || !mustDecrypt, "while nobody reset, the newest message a party sent decrypts on its first delivery");
            _delivered[me].Add(envelope);
        }

        public void Drop(int me, int index)
        {
            List<Envelope> queue = _inFlight[me];
            if (queue.Count > 0)
            {
                queue.RemoveAt(index % queue.Count);
            }
        }

        public void Replay(int me, int index)
        {
            List<Envelope> delivered = _delivered[me];
            if (delivered.Count == 0)
            {
                return;
            }
            Envelope envelope = delivered[index % delivered.Count];
            if (envelope.Delivered)
            {
                bool decrypted = Deliver(me, envelope, envelope.Message.Body, intact: true);
                FuzzFindingException.Require(!decrypted, "a replayed message is refused");
            }
            else
            {
                // Delivered but refused the first time (after a reset): a retry may succeed, at most once.
                Deliver(me, envelope, envelope.Message.Body, intact: true);
            }
        }

        public void Tamper(int me, int index, int bit)
        {
            List<Envelope> pool = _inFlight[me].Count > 0 ? _inFlight[me] : _delivered[me];
            if (pool.Count == 0)
            {
                return;
            }
            Envelope envelope = pool[index % pool.Count];
            byte[] body = (byte[])envelope.Message.Body.Clone();
            bit %= body.Length * 8;
            body[bit / 8] ^= (byte)(1 << (bit % 8));
            bool intact = envelope.Message.Type == CiphertextMessageType.PreKey && SameRatchetMessage(envelope.Message.Body, body);
            bool decrypted = Deliver(me, envelope, body, intact);
            FuzzFindingException.Require(!decrypted || intact, "a message with a flipped bit in its authenticated part is refused");
        }

        public void Reset(int me, bool oneTimePreKey)
        {
            if (_resets[0] + _resets[1] >= MaxResets)
            {
                return;
            }
            _resets[me]++;
            SignalParty party = _parties[me], peer = _parties[1 - me];
            party.ArchiveSession(peer.Address);
            party.Cipher.ProcessPreKeyBundle(peer.Address, peer.NewBundle(oneTimePreKey));
        }

        public void Dispose()
        {
            foreach (SignalParty party in _parties)
            {
                party.Dispose();
            }
        }

        /// <summary>
        /// Decrypts <paramref name="body"/> (the message of <paramref name="envelope"/>, possibly altered) at
        /// <paramref name="me"/>; checks the oracles; whether it decrypted.
        /// </summary>
        private bool Deliver(int me, Envelope envelope, byte[] body, bool intact)
        {
            SignalParty recipient = _parties[me];
            ProtocolAddress sender = _parties[1 - me].Address;
            byte[] before = recipient.Snapshot(sender, body);
            byte[] plaintext;
            try
            {
                plaintext = recipient.Cipher.Decrypt(sender, envelope.Message.Type, body);
            }
            catch (SignalProtocolException)
            {
                FuzzFindingException.Require(recipient.Snapshot(sender, body).AsSpan().SequenceEqual(before), "a refused message leaves the recipient's store byte-identical");
                return false;
            }
            FuzzFindingException.Require(intact, "only an authentic message decrypts");
            FuzzFindingException.Require(!envelope.Delivered, "an authentic message decrypts at most once");
            FuzzFindingException.Require(plaintext.AsSpan().SequenceEqual(envelope.Message.Plaintext), "a message decrypts to its own plaintext");
            envelope.Delivered = true;
            return true;
        }

        /// <summary>Whether a tampered PreKeySignalMessage still parses and wraps the original's ratchet message.</summary>
        private static bool SameRatchetMessage(byte[] original, byte[] tampered)
        {
            try
            {
                return PreKeySignalMessage.Parse(tampered).Message.Serialized.AsSpan()
                    .SequenceEqual(PreKeySignalMessage.Parse(original).Message.Serialized);
            }
            catch (SignalProtocolException)
            {
                return false;
            }
        }
    }
}
