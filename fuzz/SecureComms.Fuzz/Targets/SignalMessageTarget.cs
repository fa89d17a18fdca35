using SecureComms.Signal;
using SecureComms.Signal.Wire;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// Fuzz target <c>signal-message</c>: <see cref="SignalMessage.Parse"/> on the input (a Double Ratchet
/// message as it comes off the wire: version byte ‖ protobuf ‖ 8-byte MAC).
/// </summary>
/// <remarks>
/// Parsing is total: the only exception allowed out is <see cref="SignalProtocolException"/>. Oracles for an
/// input that parses: <see cref="SignalMessage.Serialized"/> is the input itself (the MAC is checked over the
/// bytes as received); parsing <see cref="SignalMessage.Serialized"/> again succeeds with equal fields; the
/// input is within the size bounds and its version byte's high nibble is 3.
/// </remarks>
public static class SignalMessageTarget
{
    /// <summary>The target's name on the command line and in <c>fuzz/corpus/</c>.</summary>
    public const string Name = "signal-message";

    /// <summary>Runs one input.</summary>
    public static void Target(ReadOnlySpan<byte> data)
    {
        SignalMessage message;
        try
        {
            message = SignalMessage.Parse(data);
        }
        catch (SignalProtocolException)
        {
            return;
        }
        Check(message, data);
    }

    /// <summary>The oracles on a parsed message and the bytes it came from (shared with
    /// <see cref="PreKeySignalMessageTarget"/>, for the wrapped message).</summary>
    internal static void Check(SignalMessage message, ReadOnlySpan<byte> data)
    {
        FuzzFindingException.Require(message.Serialized.AsSpan().SequenceEqual(data), "Serialized is exactly the parsed input");
        FuzzFindingException.Require(
            data.Length is >= 1 + SignalMessage.MacSizeInBytes and <= SignalMessage.MaxSizeInBytes,
            "only inputs within the size bounds parse");
        FuzzFindingException.Require(data[0] >> 4 == MessageVersion.Current, "only version 3 parses");
        SignalMessage again = SignalMessage.Parse(message.Serialized);
        FuzzFindingException.Require(SameFields(message, again), "parsing Serialized again gives the same fields");
    }

    /// <summary>Field-by-field equality.</summary>
    internal static bool SameFields(SignalMessage a, SignalMessage b) =>
        a.Serialized.AsSpan().SequenceEqual(b.Serialized)
        && a.RatchetKey.Bytes.SequenceEqual(b.RatchetKey.Bytes)
        && a.Counter == b.Counter
        && a.PreviousCounter == b.PreviousCounter
        && a.Ciphertext.AsSpan().SequenceEqual(b.Ciphertext);
}
