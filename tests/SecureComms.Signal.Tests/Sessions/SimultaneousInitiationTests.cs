using SecureComms.Signal.Wire;

namespace SecureComms.Signal.Tests.Sessions;

/// <summary>
/// libsignal's simultaneous-initiation scenarios (<c>rust/protocol/tests/session.rs</c>), ported as in
/// <see cref="SessionTests"/>: both parties start a session at once, messages are lost or repeated, and the
/// promotion of archived sessions must bring both sides back to one session.
/// </summary>
public sealed class SimultaneousInitiationTests
{
    // libsignal: test_basic_simultaneous_initiate
    [Fact]
    public void Basic_simultaneous_initiate()
    {
        using var alice = new Party("+14151111111");
        using var bob = new Party("+14151111112");
        (CiphertextMessage forBob, CiphertextMessage forAlice) = InitiateSimultaneously(alice, bob);

        Assert.Equal("hi alice", alice.Decrypt(bob, forAlice));
        Assert.Equal("hi bob", bob.Decrypt(alice, forBob));
        Assert.False(Party.SameSession(alice, bob));

        CiphertextMessage aliceResponse = alice.Encrypt(bob, "nice to see you");
        Assert.Equal(CiphertextMessageType.Whisper, aliceResponse.Type);
        Assert.Equal("nice to see you", bob.Decrypt(alice, aliceResponse));
        Assert.True(Party.SameSession(alice, bob));

        BobRepliesAndBothConverge(alice, bob);
    }

    // libsignal: test_simultaneous_initiate_with_lossage
    [Fact]
    public void Simultaneous_initiate_with_lossage()
    {
        using var alice = new Party("+14151111111");
        using var bob = new Party("+14151111112");
        (CiphertextMessage forBob, CiphertextMessage forAlice) = InitiateSimultaneously(alice, bob);

        // forAlice is lost.
        Assert.Equal("hi bob", bob.Decrypt(alice, forBob));

        CiphertextMessage aliceResponse = alice.Encrypt(bob, "nice to see you");
        Assert.Equal(CiphertextMessageType.PreKey, aliceResponse.Type);
        Assert.Equal("nice to see you", bob.Decrypt(alice, aliceResponse));
        Assert.True(Party.SameSession(alice, bob));

        BobRepliesAndBothConverge(alice, bob);
    }

    // libsignal: test_simultaneous_initiate_lost_message
    [Fact]
    public void Simultaneous_initiate_lost_message()
    {
        using var alice = new Party("+14151111111");
        using var bob = new Party("+14151111112");
        (CiphertextMessage forBob, CiphertextMessage forAlice) = InitiateSimultaneously(alice, bob);

        Assert.Equal("hi alice", alice.Decrypt(bob, forAlice));
        Assert.Equal("hi bob", bob.Decrypt(alice, forBob));
        Assert.False(Party.SameSession(alice, bob));

        CiphertextMessage aliceResponse = alice.Encrypt(bob, "nice to see you"); // lost
        Assert.Equal(CiphertextMessageType.Whisper, aliceResponse.Type);
        Assert.False(Party.SameSession(alice, bob));

        BobRepliesAndBothConverge(alice, bob);
    }

    // libsignal: test_simultaneous_initiate_repeated_messages
    [Fact]
    public void Simultaneous_initiate_repeated_messages()
    {
        using var alice = new Party("+14151111111");
        using var bob = new Party("+14151111112");
        for (int i = 0; i < 15; i++)
        {
            SimultaneousInitiateRound(alice, bob);
        }
        for (int i = 0; i < 50; i++)
        {
            CrossedWhisperRound(alice, bob);
        }

        CiphertextMessage aliceResponse = alice.Encrypt(bob, "nice to see you");
        Assert.Equal(CiphertextMessageType.Whisper, aliceResponse.Type);
        Assert.False(Party.SameSession(alice, bob));

        BobRepliesAndBothConverge(alice, bob);
    }

    // libsignal: test_simultaneous_initiate_lost_message_repeated_messages
    [Fact]
    public void Simultaneous_initiate_lost_message_repeated_messages()
    {
        using var alice = new Party("+14151111111");
        using var bob = new Party("+14151111112");
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.NextBundle());
        CiphertextMessage lostForBob = alice.Encrypt(bob, "it was so long ago");

        for (int i = 0; i < 15; i++)
        {
            SimultaneousInitiateRound(alice, bob);
        }
        for (int i = 0; i < 50; i++)
        {
            CrossedWhisperRound(alice, bob);
        }

        CiphertextMessage aliceResponse = alice.Encrypt(bob, "nice to see you");
        Assert.Equal(CiphertextMessageType.Whisper, aliceResponse.Type);
        Assert.False(Party.SameSession(alice, bob));

        BobRepliesAndBothConverge(alice, bob);

        // The very first message arrives at last: it starts (and makes current) its own session at Bob...
        Assert.Equal(CiphertextMessageType.PreKey, lostForBob.Type);
        Assert.Equal("it was so long ago", bob.Decrypt(alice, lostForBob));
        Assert.False(Party.SameSession(bob, alice));

        // ...which Alice still has archived, so Bob's reply brings both back to it.
        CiphertextMessage soItWas = bob.Encrypt(alice, "so it was");
        Assert.Equal(CiphertextMessageType.Whisper, soItWas.Type);
        Assert.Equal("so it was", alice.Decrypt(bob, soItWas));
        Assert.True(Party.SameSession(bob, alice));
    }

    /// <summary>One round of libsignal's repeated simultaneous initiation: fresh bundles both ways, both first messages delivered.</summary>
    private static void SimultaneousInitiateRound(Party alice, Party bob)
    {
        (CiphertextMessage forBob, CiphertextMessage forAlice) = InitiateSimultaneously(alice, bob);

        Assert.Equal("hi alice", alice.Decrypt(bob, forAlice));
        Assert.Equal("hi bob", bob.Decrypt(alice, forBob));
        Assert.Equal((uint)MessageVersion.Current, alice.Record(bob)!.Current!.Structure.SessionVersion);
        Assert.Equal((uint)MessageVersion.Current, bob.Record(alice)!.Current!.Structure.SessionVersion);
        Assert.False(Party.SameSession(alice, bob));
    }

    /// <summary>Both send at once on their current (different) sessions; each decrypts the other's.</summary>
    private static void CrossedWhisperRound(Party alice, Party bob)
    {
        CiphertextMessage forBob = alice.Encrypt(bob, "hi bob");
        CiphertextMessage forAlice = bob.Encrypt(alice, "hi alice");
        Assert.Equal(CiphertextMessageType.Whisper, forBob.Type);
        Assert.Equal(CiphertextMessageType.Whisper, forAlice.Type);
        Assert.False(Party.SameSession(alice, bob));

        Assert.Equal("hi alice", alice.Decrypt(bob, forAlice));
        Assert.Equal("hi bob", bob.Decrypt(alice, forBob));
        Assert.False(Party.SameSession(alice, bob));
    }

    /// <summary>
    /// Both parties process the other's bundle and send a first message before either arrives: two
    /// PreKeySignalMessages from two different X3DH runs.
    /// </summary>
    private static (CiphertextMessage ForBob, CiphertextMessage ForAlice) InitiateSimultaneously(Party alice, Party bob)
    {
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bob.NextBundle());
        bob.Cipher.ProcessPreKeyBundle(alice.Address, alice.NextBundle());
        CiphertextMessage forBob = alice.Encrypt(bob, "hi bob");
        CiphertextMessage forAlice = bob.Encrypt(alice, "hi alice");
        Assert.Equal(CiphertextMessageType.PreKey, forBob.Type);
        Assert.Equal(CiphertextMessageType.PreKey, forAlice.Type);
        Assert.False(Party.SameSession(alice, bob));
        return (forBob, forAlice);
    }

    /// <summary>Bob replies on his current session; Alice decrypts it, and both now hold the same session.</summary>
    private static void BobRepliesAndBothConverge(Party alice, Party bob)
    {
        CiphertextMessage bobResponse = bob.Encrypt(alice, "you as well");
        Assert.Equal(CiphertextMessageType.Whisper, bobResponse.Type);
        Assert.Equal("you as well", alice.Decrypt(bob, bobResponse));
        Assert.True(Party.SameSession(bob, alice));
    }
}
