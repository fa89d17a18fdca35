using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SecureComms.Signal.Tests.Sessions;
using SecureComms.Signal.Wire;

namespace SecureComms.Signal.Tests.Properties;

/// <summary>
/// Two parties under a random schedule of send, deliver (in any order), drop, duplicate, tamper and round trips
/// (which ratchet both sides while older messages are still in flight): every
/// authentic message decrypts exactly once to its own text; duplicates and forgeries are refused; and a
/// refused message leaves the receiver's serialized state byte-identical.
/// </summary>
/// <remarks>
/// The only authentic messages allowed to fail are those whose sending chain the receiver no longer keeps
/// (<see cref="SessionLimits.MaxReceiverChains"/>): the model tracks, per receiver, the ratchet keys it
/// has decrypted under, oldest first, as libsignal keeps its receiver chains. Outer fields of a
/// PreKeySignalMessage (registration id, prekey id) are not authenticated by the protocol (libsignal
/// neither), so a tampered PreKeySignalMessage may decrypt, but only to its own text and only once.
/// </remarks>
public sealed class ScheduleProperties
{
    private static readonly Gen<(int Action, int Choice)[]> Schedules =
        Gen.Choose(0, 7).Zip(Gen.Choose(0, 1 << 20)).ArrayOf().Select(a => a.Take(120).ToArray());

    [Property(MaxTest = 200)]
    public Property Every_authentic_message_decrypts_exactly_once() => Prop.ForAll(Schedules.ToArbitrary(), schedule =>
    {
        using var run = new ScheduleRun();
        foreach ((int action, int choice) in schedule)
        {
            run.Step(action, choice);
        }
        run.DeliverEverythingLeft();
        return true;
    });

    /// <summary>One schedule's world: the two parties, the network, and the model.</summary>
    private sealed class ScheduleRun : IDisposable
    {
        private readonly Party _alice = new("alice");
        private readonly Party _bob = new("bob");
        private readonly List<InFlight> _network = [];
        private readonly List<InFlight> _delivered = [];
        private readonly HashSet<int> _decrypted = [];
        private readonly Dictionary<Party, List<byte[]>> _chainsKept = [];
        private readonly List<byte[]> _chainsEvicted = [];
        private int _next;

        public ScheduleRun()
        {
            var bundle = _bob.Bundle();
            _alice.Cipher.ProcessPreKeyBundle(_bob.Address, bundle);
            _chainsKept[_alice] = [Serialize(bundle.SignedPreKey)];
            _chainsKept[_bob] = [];
        }

        public void Step(int action, int choice)
        {
            switch (action)
            {
                case 0: Send(_alice, _bob); break;
                case 1: Send(_bob, _alice); break;
                case 2 or 3: Deliver(choice); break;
                case 4: Drop(choice); break;
                case 5: Duplicate(choice); break;
                case 6: Tamper(choice); break;
                case 7: RoundTrip(); break;
            }
        }

        public void DeliverEverythingLeft()
        {
            while (_network.Count > 0)
            {
                Deliver(0);
            }
        }

        public void Dispose()
        {
            _alice.Dispose();
            _bob.Dispose();
        }

        private void Send(Party from, Party to)
        {
            if (!from.Cipher.HasUsableSession(to.Address))
            {
                return; // Bob cannot speak before Alice's first message reached him.
            }
            int id = _next++;
            _network.Add(new InFlight(id, from, to, from.Encrypt(to, $"message {id}")));
        }

        private void Deliver(int choice)
        {
            if (_network.Count == 0)
            {
                return;
            }
            InFlight message = _network[choice % _network.Count];
            _network.Remove(message);
            _delivered.Add(message);
            Receive(message, message.Message);
        }

        /// <summary>
        /// Delivers <paramref name="received"/> (the message as sent, or a tampered copy that the receiver
        /// accepted or not) and holds the outcome to the model.
        /// </summary>
        private void Receive(InFlight message, CiphertextMessage received, bool tampered = false)
        {
            byte[] ratchetKey = RatchetKey(message.Message);
            List<byte[]> kept = _chainsKept[message.To];
            bool chainKept = kept.Any(k => k.AsSpan().SequenceEqual(ratchetKey));
            bool chainEvicted = _chainsEvicted.Any(k => k.AsSpan().SequenceEqual(ratchetKey));
            string? text = TryDecrypt(message, received);
            if (text is null)
            {
                Assert.True(
                    tampered || _decrypted.Contains(message.Id) || chainEvicted,
                    $"authentic message {message.Id} was refused (chain kept: {chainKept})");
                return;
            }
            Assert.True(!tampered || message.Message.Type == CiphertextMessageType.PreKey, $"a tampered SignalMessage {message.Id} decrypted");
            Assert.Equal($"message {message.Id}", text);
            Assert.True(_decrypted.Add(message.Id), $"message {message.Id} decrypted twice");
            Assert.False(chainEvicted, $"message {message.Id} decrypted on a chain the receiver no longer keeps");
            if (!chainKept)
            {
                kept.Add(ratchetKey);
                if (kept.Count > SessionLimits.MaxReceiverChains)
                {
                    _chainsEvicted.Add(kept[0]);
                    kept.RemoveAt(0);
                }
            }
        }

        /// <summary>Alice and Bob each send one message that arrives at once: a DH ratchet step on both sides.</summary>
        private void RoundTrip()
        {
            foreach ((Party from, Party to) in new[] { (_alice, _bob), (_bob, _alice) })
            {
                Send(from, to);
                if (_network.Count > 0 && _network[^1].From == from)
                {
                    Deliver(_network.Count - 1);
                }
            }
        }

        private void Drop(int choice)
        {
            if (_network.Count > 0)
            {
                _network.RemoveAt(choice % _network.Count);
            }
        }

        private void Duplicate(int choice)
        {
            if (_delivered.Count == 0)
            {
                return;
            }
            InFlight message = _delivered[choice % _delivered.Count];
            Receive(message, message.Message);
        }

        private void Tamper(int choice)
        {
            List<InFlight> pool = [.. _network, .. _delivered];
            if (pool.Count == 0)
            {
                return;
            }
            InFlight message = pool[choice % pool.Count];
            byte[] body = (byte[])message.Message.Serialized.Clone();
            int bit = (choice / pool.Count) % (body.Length * 8);
            body[bit / 8] ^= (byte)(1 << (bit % 8));
            Receive(message, message.Message with { Serialized = body }, tampered: true);
        }

        /// <summary>Decrypts at the receiver; a refusal must leave its serialized record and identity as they were.</summary>
        private static string? TryDecrypt(InFlight message, CiphertextMessage received)
        {
            byte[] before = message.To.RecordBytes(message.From);
            IdentityKey? identityBefore = message.To.Store.GetIdentity(message.From.Address);
            try
            {
                return message.To.Decrypt(message.From, received);
            }
            catch (SignalProtocolException)
            {
                Assert.Equal(before, message.To.RecordBytes(message.From));
                Assert.Equal(identityBefore, message.To.Store.GetIdentity(message.From.Address));
                return null;
            }
        }

        private static byte[] RatchetKey(CiphertextMessage message) =>
            (message.Type == CiphertextMessageType.PreKey
                ? PreKeySignalMessage.Parse(message.Serialized).Message
                : SignalMessage.Parse(message.Serialized)).RatchetKey.Bytes.ToArray();

        private static byte[] Serialize(Crypto.X25519PublicKey key) => key.Bytes.ToArray();

        private sealed record InFlight(int Id, Party From, Party To, CiphertextMessage Message);
    }
}
