using SecureComms.Signal.Wire;

namespace SecureComms.Signal.Tests.Sessions;

public sealed class SmokeTests
{
    [Fact]
    public void Round_trip()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.Bundle());
        var m1 = alice.Encrypt(bob, "hello");
        Assert.Equal(CiphertextMessageType.PreKey, m1.Type);
        Assert.Equal("hello", bob.Decrypt(alice, m1));
        var r1 = bob.Encrypt(alice, "hi");
        Assert.Equal(CiphertextMessageType.Whisper, r1.Type);
        Assert.Equal("hi", alice.Decrypt(bob, r1));
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal($"a{i}", bob.Decrypt(alice, alice.Encrypt(bob, $"a{i}")));
            Assert.Equal($"b{i}", alice.Decrypt(bob, bob.Encrypt(alice, $"b{i}")));
        }
    }
}
