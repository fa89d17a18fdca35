using SecureComms.Channel.Records;

namespace SecureComms.Channel.Tests.Records;

/// <summary>
/// The RFC 6479 window on its own: in order, reordered within the window once, duplicates, too old, far jumps, and the
/// Check/Commit split (checking never moves the window).
/// </summary>
public sealed class ReplayWindowTests
{
    private const ulong Size = RecordLimits.ReplayWindowSize;

    [Fact]
    public void InOrderCountersAreAcceptedAndThenDuplicates()
    {
        var window = new ReplayWindow();
        for (ulong c = 0; c < 300; c++)
        {
            Assert.Equal(ReplayVerdict.Accept, window.Check(c));
            window.Commit(c);
            Assert.Equal(ReplayVerdict.Duplicate, window.Check(c));
        }
        Assert.Equal(299UL, window.Highest);
        Assert.Equal(ReplayVerdict.Duplicate, window.Check(0));
    }

    [Fact]
    public void ReorderedWithinTheWindowIsAcceptedOnce()
    {
        var window = new ReplayWindow();
        window.Commit(3000);
        foreach (ulong c in new ulong[] { 2999, 3000 - Size + 1, 2500, 1500 })
        {
            Assert.Equal(ReplayVerdict.Accept, window.Check(c));
            window.Commit(c);
            Assert.Equal(ReplayVerdict.Duplicate, window.Check(c));
        }
        Assert.Equal(3000UL, window.Highest);
        Assert.Equal(ReplayVerdict.Accept, window.Check(2998));
    }

    [Fact]
    public void TooOldIsRefusedAtExactlyTheWindowEdge()
    {
        var window = new ReplayWindow();
        window.Commit(5000);
        Assert.Equal(ReplayVerdict.Accept, window.Check(5000 - Size + 1));
        Assert.Equal(ReplayVerdict.TooOld, window.Check(5000 - Size));
        Assert.Equal(ReplayVerdict.TooOld, window.Check(0));
        Assert.Throws<InvalidOperationException>(() => window.Commit(0));
        Assert.Throws<InvalidOperationException>(() => window.Commit(5000));
    }

    [Fact]
    public void FarJumpMovesTheWindowAndClearsStaleBits()
    {
        var window = new ReplayWindow();
        for (ulong c = 0; c < 64; c++)
        {
            window.Commit(c);
        }
        // 2048 ahead lands on the same ring block as counter 0..63: its bits must have been cleared.
        ulong jump = RecordLimits.ReplayBitmapBits;
        window.Commit(jump);
        Assert.Equal(jump, window.Highest);
        Assert.Equal(ReplayVerdict.Accept, window.Check(jump + 1));
        Assert.Equal(ReplayVerdict.Accept, window.Check(jump - 1));
        Assert.Equal(ReplayVerdict.TooOld, window.Check(63));

        window.Commit(ulong.MaxValue - 1);
        Assert.Equal(ReplayVerdict.TooOld, window.Check(jump));
        Assert.Equal(ReplayVerdict.Accept, window.Check(ulong.MaxValue - 2));
    }

    [Fact]
    public void CheckAloneNeverMovesTheWindow()
    {
        var window = new ReplayWindow();
        window.Commit(10);
        Assert.Equal(ReplayVerdict.Accept, window.Check(1_000_000));
        Assert.Equal(10UL, window.Highest);
        Assert.Equal(ReplayVerdict.Accept, window.Check(9));
    }
}
