using SecureComms.Signal.Wire;

namespace SecureComms.Signal.Tests.Sessions;

/// <summary>
/// What the ratchet writes in its header, as libsignal writes it: the counter N of the sending chain, and PN =
/// the index of the last message of the previous sending chain (libsignal: current index − 1, or 0).
/// </summary>
public sealed class RatchetHeaderTests
{
    [Fact]
    public void Counters_and_previous_counters_follow_libsignal()
    {
        using var alice = new Party("alice");
        using var bob = new Party("bob");
        // Alice sent message 0 of her first chain; Bob's reply made her ratchet: a new chain from 0, and PN =
        // max(1 − 1, 0) = 0 for her single message before.
        Party.Establish(alice, bob);

        var burst = Enumerable.Range(0, 3).Select(i => alice.Encrypt(bob, $"a{i}")).ToList();
        Assert.Equal([0u, 1u, 2u], burst.Select(Party.Counter));
        Assert.All(burst, m => Assert.Equal(0u, Party.Inner(m).PreviousCounter));
        burst.ForEach(m => bob.Decrypt(alice, m));

        // Bob ratchets: his new chain starts at 0; his previous chain had sent index 0, so PN = max(1 − 1, 0).
        CiphertextMessage reply = bob.Encrypt(alice, "b");
        Assert.Equal((0u, 0u), (Party.Counter(reply), Party.Inner(reply).PreviousCounter));
        alice.Decrypt(bob, reply);

        // Alice ratchets after sending indexes 0..2 of this chain: PN = 3 − 1 = 2.
        CiphertextMessage next = alice.Encrypt(bob, "a4");
        Assert.Equal((0u, 2u), (Party.Counter(next), Party.Inner(next).PreviousCounter));
        Assert.Equal("a4", bob.Decrypt(alice, next));
    }
}
