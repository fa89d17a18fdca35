using SecureComms.Traversal.Stun;
using SecureComms.Traversal.Stun.Attributes;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// Fuzz target <c>stun-message</c>: <see cref="StunReader.TryRead"/> on the input (a UDP datagram as a STUN agent
/// receives it), then the integrity checks and re-serialization of what parses.
/// </summary>
/// <remarks>
/// The reader is total: nothing may escape, a refusal is a <see cref="StunError"/> value. Oracles for an input that
/// parses: it passes the header demultiplexing test and is within the size and count bounds; the integrity checks
/// under a fixed key answer without throwing (and say Absent exactly when the attribute is missing); the message
/// written again (MACs as received, zero padding) reads back to an equal message, and writing that gives the same
/// bytes again. Seeds: the four RFC 5769 samples and messages from <see cref="StunWriter"/> in
/// <c>fuzz/corpus/stun-message/</c>.
/// </remarks>
public static class StunMessageTarget
{
    /// <summary>The target's name on the command line and in <c>fuzz/corpus/</c>.</summary>
    public const string Name = "stun-message";

    private static readonly StunKey Key = StunKey.ShortTerm("VOkJxbRl1RmTxUk/WvJxBt");

    /// <summary>Runs one input.</summary>
    public static void Target(ReadOnlySpan<byte> data)
    {
        if (!StunReader.TryRead(data, out var message, out var error))
        {
            FuzzFindingException.Require(error is not null, "a refusal carries its reason");
            FuzzFindingException.Require(!error!.ToString().Contains('\n'), "a refusal describes itself on one line");
            return;
        }
        FuzzFindingException.Require(StunReader.LooksLikeStun(data), "what parses passes the demultiplexing test");
        FuzzFindingException.Require(data.Length <= StunLimits.MaxMessageSizeInBytes && data.Length % StunLimits.Alignment == 0,
            "only aligned messages within the size bound parse");
        FuzzFindingException.Require(message.Attributes.Count <= StunLimits.MaxAttributes, "the attribute count is bounded");
        FuzzFindingException.Require(message.IsReceived, "a parsed message keeps its bytes for the integrity checks");

        bool hasMi = message.Get<MessageIntegrityAttribute>() is not null;
        bool hasSha = message.Get<MessageIntegritySha256Attribute>() is not null;
        FuzzFindingException.Require((message.VerifyMessageIntegrity(Key) == IntegrityCheck.Absent) == !hasMi,
            "MESSAGE-INTEGRITY is Absent exactly when missing");
        FuzzFindingException.Require(
            (message.VerifyMessageIntegritySha256(Key, MessageIntegritySha256Attribute.MinValueSizeInBytes) == IntegrityCheck.Absent) == !hasSha,
            "MESSAGE-INTEGRITY-SHA256 is Absent exactly when missing");

        byte[] written = StunWriter.Write(message);
        FuzzFindingException.Require(StunReader.TryRead(written, out var again, out _), "a parsed message re-serializes to bytes that parse");
        FuzzFindingException.Require(again!.Equals(message), "re-serialized bytes parse to an equal message");
        FuzzFindingException.Require(StunWriter.Write(again).AsSpan().SequenceEqual(written), "writing is stable");
    }
}
