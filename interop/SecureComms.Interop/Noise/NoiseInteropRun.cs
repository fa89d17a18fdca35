using System.Security.Cryptography;
using SecureComms.Channel.Noise;
using SecureComms.Crypto;

namespace SecureComms.Interop.Noise;

/// <summary>
/// Plays one live Noise handshake between our <see cref="HandshakeState"/> and another implementation's shim,
/// then transport messages both ways, and records everything in a <see cref="NoiseInteropTranscript"/>.
/// </summary>
/// <remarks>
/// <para><b>Keys.</b> Each run draws fresh keys: our static key (kept in its container, only its public key
/// leaves), the peer's static private key (random bytes handed to the shim, a throwaway test key), a random
/// prologue, and random payloads, so that a payload delivered to the wrong message or a hash over the wrong
/// prologue shows up as a mismatch.</para>
/// <para><b>Negative run.</b> With <c>wrongRemoteStatic</c>, the initiator of a pattern whose responder key is
/// pre-declared (IK) is given an unrelated key as <c>rs</c>: the responder must refuse the first message (its
/// <c>s</c> and payload are encrypted under a key derived from <c>es</c>).</para>
/// </remarks>
public static class NoiseInteropRun
{
    /// <summary>Transport messages sent in each direction after the handshake.</summary>
    public const int TransportMessagesEachWay = 3;

    /// <summary>Prologue length in bytes (any length works; both parties must hash the same bytes).</summary>
    private const int PrologueSizeInBytes = 16;

    /// <summary>Sizes in bytes of the transport payloads, cycled: tiny, small, about one UDP datagram.</summary>
    private static readonly int[] TransportPayloadSizes = [1, 100, 1200];

    /// <summary>Handshake payload size in bytes for message <c>i</c>: distinct per message.</summary>
    private static int HandshakePayloadSize(int message) => 20 + message;

    /// <summary>Plays <paramref name="protocol"/> against <paramref name="them"/> (a started shim process).</summary>
    /// <exception cref="ArgumentException"><paramref name="wrongRemoteStatic"/> for a pattern with no pre-declared responder key.</exception>
    /// <exception cref="Signal.InteropException">The peer broke the shim protocol or refused an op that must succeed.</exception>
    public static NoiseInteropTranscript Play(NoiseShimClient them, NoiseProtocolName protocol, bool weInitiate, bool wrongRemoteStatic = false)
    {
        ArgumentNullException.ThrowIfNull(them);
        ArgumentNullException.ThrowIfNull(protocol);
        bool responderKeyKnown = protocol.Pattern.ResponderPreMessage.Contains(HandshakeToken.S);
        if (wrongRemoteStatic && !responderKeyKnown)
        {
            throw new ArgumentException($"{protocol.Pattern.Name} has no pre-declared responder key to get wrong.", nameof(wrongRemoteStatic));
        }
        byte[] theirPrivate = RandomNumberGenerator.GetBytes(X25519PrivateKey.SizeInBytes);
        try
        {
            using X25519PrivateKey theirKey = X25519PrivateKey.Import(theirPrivate);
            using X25519PrivateKey ourKey = X25519PrivateKey.Generate();
            using X25519PrivateKey unrelated = X25519PrivateKey.Generate();
            byte[] prologue = RandomNumberGenerator.GetBytes(PrologueSizeInBytes);
            var transcript = new NoiseInteropTranscript
            {
                Protocol = protocol,
                WeInitiate = weInitiate,
                Peer = them.Implementation,
                OurStatic = ourKey.PublicKey.Bytes.ToArray(),
                TheirStatic = theirKey.PublicKey.Bytes.ToArray(),
            };
            // The initiator of IK knows the responder's key in advance (or, in the negative run, an unrelated one).
            X25519PublicKey? ourRemote = weInitiate && responderKeyKnown ? (wrongRemoteStatic ? unrelated : theirKey).PublicKey : null;
            byte[] theirRemote = !weInitiate && responderKeyKnown ? (wrongRemoteStatic ? unrelated : ourKey).PublicKey.Bytes.ToArray() : [];
            them.Require(them.Start(protocol.Name, !weInitiate, theirPrivate, theirRemote, prologue), "start");
            using var ours = new HandshakeState(protocol, weInitiate, prologue, ourKey, ourRemote);
            if (Handshake(ours, them, transcript))
            {
                using TransportState transport = ours.TakeTransport();
                transcript.OurHandshakeHash = [.. transport.HandshakeHash];
                transcript.OurViewOfTheirStatic = transport.RemoteStaticKey?.Bytes.ToArray();
                Transport(transport, them, transcript);
            }
            return transcript;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(theirPrivate);
        }
    }

    /// <summary>Every handshake message in turn; false when a party refused one (the transcript says which).</summary>
    private static bool Handshake(HandshakeState ours, NoiseShimClient them, NoiseInteropTranscript transcript)
    {
        for (int i = 0; i < transcript.Protocol.Pattern.Messages.Count; i++)
        {
            byte[] payload = RandomNumberGenerator.GetBytes(HandshakePayloadSize(i));
            if (ours.IsMyTurn)
            {
                byte[] message = ours.WriteMessage(payload);
                NoiseShimReply reply = them.Read(message);
                transcript.HandshakePayloads.Add(new NoiseDelivery(true, payload, reply.Ok ? reply.Bytes("payload") : null));
                if (!reply.Ok)
                {
                    transcript.TheirRefusal = reply.Error;
                    return false;
                }
                NoteTheirCompletion(reply, transcript);
            }
            else
            {
                NoiseShimReply reply = them.Require(them.Write(payload), $"to write handshake message {i}");
                NoteTheirCompletion(reply, transcript);
                try
                {
                    transcript.HandshakePayloads.Add(new NoiseDelivery(false, payload, ours.ReadMessage(reply.Bytes("message"))));
                }
                catch (NoiseException e)
                {
                    transcript.HandshakePayloads.Add(new NoiseDelivery(false, payload, null));
                    transcript.OurRefusal = e.Reason;
                    return false;
                }
            }
        }
        return ours.IsComplete;
    }

    private static void NoteTheirCompletion(NoiseShimReply reply, NoiseInteropTranscript transcript)
    {
        if (reply.Complete)
        {
            transcript.TheirHandshakeHash = reply.Bytes("handshakeHash");
            transcript.TheirViewOfOurStatic = reply.Bytes("remoteStatic");
        }
    }

    /// <summary>Alternating transport messages, ours first; a refusal on either side is recorded as undelivered.</summary>
    private static void Transport(TransportState ours, NoiseShimClient them, NoiseInteropTranscript transcript)
    {
        if (transcript.TheirHandshakeHash is null)
        {
            return; // the peer does not consider the handshake complete: it has no transport keys
        }
        for (int i = 0; i < TransportMessagesEachWay; i++)
        {
            byte[] toThem = RandomNumberGenerator.GetBytes(TransportPayloadSizes[i % TransportPayloadSizes.Length]);
            byte[] sealedToThem = new byte[toThem.Length + NoiseLimits.TagLength];
            ours.WriteMessage(toThem, sealedToThem);
            NoiseShimReply opened = them.Decrypt(sealedToThem);
            transcript.TransportMessages.Add(new NoiseDelivery(true, toThem, opened.Ok ? opened.Bytes("payload") : null));

            byte[] toUs = RandomNumberGenerator.GetBytes(TransportPayloadSizes[(i + 1) % TransportPayloadSizes.Length]);
            byte[] sealedToUs = them.Require(them.Encrypt(toUs), "to encrypt a transport message").Bytes("message");
            transcript.TransportMessages.Add(new NoiseDelivery(false, toUs, TryOpen(ours, sealedToUs)));
        }
    }

    private static byte[]? TryOpen(TransportState ours, byte[] message)
    {
        if (message.Length < NoiseLimits.TagLength)
        {
            return null;
        }
        byte[] payload = new byte[message.Length - NoiseLimits.TagLength];
        try
        {
            int written = ours.ReadMessage(message, payload);
            return payload[..written];
        }
        catch (NoiseException)
        {
            return null;
        }
    }
}
