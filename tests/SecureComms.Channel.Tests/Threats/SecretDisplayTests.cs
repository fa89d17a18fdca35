using SecureComms.Channel.Noise;
using SecureComms.Crypto;

namespace SecureComms.Channel.Tests.Threats;

/// <summary>
/// STYLE.md §10: no secret reaches ToString or an exception message. The keys of a real handshake (PSK, the transport
/// keys' effect: ciphertexts) never appear in the text of any Noise type; and disposal wipes what the handshake owns
/// while leaving the caller's keys alone.
/// </summary>
public sealed class SecretDisplayTests
{
    [Fact]
    public void NoKeyBytesInAnyText()
    {
        byte[] pskBytes = Enumerable.Repeat((byte)0xAB, 32).ToArray();
        using var psk = PresharedKey.Import(pskBytes);
        using var initiatorStatic = X25519PrivateKey.Generate();
        using var responderStatic = X25519PrivateKey.Generate();
        var protocol = NoiseProtocolName.ForPattern("IKpsk2");
        using var initiator = new HandshakeState(protocol, true, [], initiatorStatic, responderStatic.PublicKey, [psk]);
        using var responder = new HandshakeState(protocol, false, [], responderStatic, null, [psk]);
        responder.ReadMessage(initiator.WriteMessage([]));
        byte[] last = responder.WriteMessage([]);
        last[^1] ^= 1;
        var refusal = Assert.Throws<NoiseException>(() => initiator.ReadMessage(last));
        using var cipher = new CipherState();
        cipher.InitializeKey(pskBytes);

        string[] texts = [psk.ToString(), initiator.ToString(), responder.ToString(), cipher.ToString(), refusal.Message];
        foreach (string text in texts)
        {
            Assert.DoesNotContain("ab", text.Replace("AES", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToHexString(last[..8]), text, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal("PresharedKey(32 bytes)", psk.ToString());
    }

    [Fact]
    public void HandshakeCopiesPsksAndLeavesTheCallersKeysUsable()
    {
        using var psk = PresharedKey.Import(TestBytes.Random(32));
        using var staticKey = X25519PrivateKey.Generate();
        var protocol = NoiseProtocolName.ForPattern("NNpsk0");
        var state = new HandshakeState(protocol, true, [], null, null, [psk]);
        state.Dispose();
        Assert.False(psk.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => state.WriteMessage([]));
        using var xx = new HandshakeState(NoiseProtocolName.ForPattern("XX"), true, [], staticKey);
        xx.Dispose();
        Assert.False(staticKey.IsDisposed);
    }

    [Fact]
    public void MissingOrSurplusKeysAreArgumentErrors()
    {
        using var key = X25519PrivateKey.Generate();
        var ik = NoiseProtocolName.ForPattern("IK");
        Assert.Throws<ArgumentException>(() => new HandshakeState(ik, true, [], key));                       // no rs
        Assert.Throws<ArgumentException>(() => new HandshakeState(ik, true, [], null, key.PublicKey));       // no s
        Assert.Throws<ArgumentException>(() => new HandshakeState(NoiseProtocolName.ForPattern("XX"), true, [], key, key.PublicKey)); // rs for XX
        Assert.Throws<ArgumentException>(() => new HandshakeState(NoiseProtocolName.ForPattern("NNpsk0"), true, []));  // no psk
    }
}
