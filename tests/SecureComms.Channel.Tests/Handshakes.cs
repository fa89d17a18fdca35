using SecureComms.Channel.Noise;
using SecureComms.Crypto;

namespace SecureComms.Channel.Tests;

/// <summary>
/// Two parties of one Noise protocol with fresh random keys (statics, PSKs), each given exactly what its pattern
/// says it knows in advance; and a driver that plays the handshake message by message.
/// </summary>
internal sealed class Handshakes : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public Handshakes(string patternSection, byte[]? prologue = null, byte[]? responderPrologue = null)
    {
        Protocol = NoiseProtocolName.ForPattern(patternSection);
        var pattern = Protocol.Pattern;
        InitiatorStatic = Own(X25519PrivateKey.Generate());
        ResponderStatic = Own(X25519PrivateKey.Generate());
        var psks = Enumerable.Range(0, pattern.PskCount).Select(_ => Own(PresharedKey.Import(TestBytes.Random(32)))).ToList();
        prologue ??= "SecureComms test prologue"u8.ToArray();
        Initiator = Own(new HandshakeState(Protocol, initiator: true, prologue, InitiatorStatic,
            pattern.ResponderPreMessage.Contains(HandshakeToken.S) ? ResponderStatic.PublicKey : null, psks));
        Responder = Own(new HandshakeState(Protocol, initiator: false, responderPrologue ?? prologue, ResponderStatic,
            pattern.InitiatorPreMessage.Contains(HandshakeToken.S) ? InitiatorStatic.PublicKey : null, psks));
    }

    public NoiseProtocolName Protocol { get; }

    public X25519PrivateKey InitiatorStatic { get; }

    public X25519PrivateKey ResponderStatic { get; }

    public HandshakeState Initiator { get; }

    public HandshakeState Responder { get; }

    /// <summary>The party that writes handshake message <paramref name="index"/>, and the one that reads it.</summary>
    public (HandshakeState Writer, HandshakeState Reader) Turn(int index) =>
        Protocol.Pattern.Messages[index].FromInitiator ? (Initiator, Responder) : (Responder, Initiator);

    /// <summary>Plays every handshake message with the given payload; returns the messages as sent.</summary>
    public List<byte[]> Complete(Func<int, byte[]>? payload = null)
    {
        var messages = new List<byte[]>();
        for (int i = 0; i < Protocol.Pattern.Messages.Count; i++)
        {
            var (writer, reader) = Turn(i);
            byte[] sent = payload?.Invoke(i) ?? [];
            byte[] message = writer.WriteMessage(sent);
            messages.Add(message);
            Assert.Equal(sent, reader.ReadMessage(message));
        }
        return messages;
    }

    public T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public void Dispose() => _owned.ForEach(d => d.Dispose());
}

/// <summary>Random test bytes.</summary>
internal static class TestBytes
{
    public static byte[] Random(int length) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(length);
}
