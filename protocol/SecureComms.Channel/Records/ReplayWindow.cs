namespace SecureComms.Channel.Records;

/// <summary>What <see cref="ReplayWindow.Check"/> says about a counter.</summary>
public enum ReplayVerdict
{
    /// <summary>Never seen, and new enough: may be accepted once its tag verifies.</summary>
    Accept,

    /// <summary>Already committed: a replay or a network duplicate.</summary>
    Duplicate,

    /// <summary>More than <see cref="RecordLimits.ReplayWindowSize"/> behind the highest committed counter: unknowable, so refused.</summary>
    TooOld,
}

/// <summary>
/// A sliding anti-replay window over 64-bit record counters: a 2048-bit ring of 64-bit blocks, as RFC 6479 and
/// WireGuard do, tracking the highest committed counter and which of the <see cref="RecordLimits.ReplayWindowSize"/>
/// counters behind it were seen.
/// </summary>
/// <remarks>
/// <para><b>References.</b> RFC 6479 §2 (IPsec anti-replay without bit shifting: the bitmap is a ring of blocks,
/// a forward jump clears the blocks it passes); RFC 4303 §3.4.3; WireGuard <c>noise.c</c> counter validation.</para>
/// <para><b>Policy.</b> <see cref="Check"/> only reads; <see cref="Commit"/> writes and is called only after the
/// record's tag verified, so a forged record (any counter, even a far jump) never moves the window. Reordered
/// counters within the window are accepted once; a forward jump of any size moves the window.</para>
/// <para><b>Hazards.</b> Not thread-safe: the owner serialises Check and Commit, with nothing in between that could
/// commit the same counter. The counter 2^64 − 1 is reserved (Noise §5.1) and never checked here: the parser
/// refuses it.</para>
/// </remarks>
public sealed class ReplayWindow
{
    private const int Blocks = RecordLimits.ReplayBitmapBits / RecordLimits.ReplayBlockBits;
    private const int BlockShift = 6; // log2(ReplayBlockBits)
    private const ulong BitMask = RecordLimits.ReplayBlockBits - 1;

    private readonly ulong[] _bitmap = new ulong[Blocks];
    private ulong _highest;

    /// <summary>The highest committed counter (0 before any commit).</summary>
    public ulong Highest => _highest;

    /// <summary>Whether <paramref name="counter"/> would be accepted now. Changes nothing.</summary>
    public ReplayVerdict Check(ulong counter)
    {
        if (counter > _highest)
        {
            return ReplayVerdict.Accept;
        }
        if (_highest - counter >= RecordLimits.ReplayWindowSize)
        {
            return ReplayVerdict.TooOld;
        }
        return (_bitmap[BlockIndex(counter)] & Bit(counter)) != 0 ? ReplayVerdict.Duplicate : ReplayVerdict.Accept;
    }

    /// <summary>Marks <paramref name="counter"/> as seen, sliding the window forward if it is the new highest.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Check"/> would not accept it (a caller bug).</exception>
    public void Commit(ulong counter)
    {
        var verdict = Check(counter);
        if (verdict != ReplayVerdict.Accept)
        {
            throw new InvalidOperationException($"Counter {counter} cannot be committed: {verdict}.");
        }
        if (counter > _highest)
        {
            ulong currentBlock = _highest >> BlockShift;
            ulong newBlock = counter >> BlockShift;
            ulong toClear = Math.Min(newBlock - currentBlock, Blocks);
            for (ulong i = 1; i <= toClear; i++)
            {
                _bitmap[BlockIndex((currentBlock + i) << BlockShift)] = 0;
            }
            _highest = counter;
        }
        _bitmap[BlockIndex(counter)] |= Bit(counter);
    }

    /// <summary>Shows the highest counter only (public data).</summary>
    public override string ToString() => $"ReplayWindow(highest {_highest}, size {RecordLimits.ReplayWindowSize})";

    private static int BlockIndex(ulong counter) => (int)((counter >> BlockShift) % Blocks);

    private static ulong Bit(ulong counter) => 1UL << (int)(counter & BitMask);
}
