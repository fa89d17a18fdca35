using SecureComms.Signal;
using SecureComms.Signal.Wire;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// Fuzz target <c>prekey-signal-message</c>: <see cref="PreKeySignalMessage.Parse"/> on the input (the
/// first messages of a session: version byte ‖ protobuf of the X3DH parameters and a wrapped
/// <see cref="SignalMessage"/>).
/// </summary>
/// <remarks>
/// Parsing is total: the only exception allowed out is <see cref="SignalProtocolException"/>. Oracles for an
/// input that parses: <see cref="PreKeySignalMessage.Serialized"/> is the input; parsing it again gives equal
/// fields; the version byte's high nibble is 3; the wrapped message satisfies
/// <see cref="SignalMessageTarget"/>'s oracles on its own serialization.
/// </remarks>
public static class PreKeySignalMessageTarget
{
    /// <summary>The target's name on the command line and in <c>fuzz/corpus/</c>.</summary>
    public const string Name = "prekey-signal-message";

    /// <summary>Runs one input.</summary>
    public static void Target(ReadOnlySpan<byte> data)
    {
        PreKeySignalMessage message;
        try
        {
            message = PreKeySignalMessage.Parse(data);
        }
        catch (SignalProtocolException)
        {
            return;
        }
        FuzzFindingException.Require(message.Serialized.AsSpan().SequenceEqual(data), "Serialized is exactly the parsed input");
        FuzzFindingException.Require(data[0] >> 4 == MessageVersion.Current, "only version 3 parses");
        PreKeySignalMessage again = PreKeySignalMessage.Parse(message.Serialized);
        FuzzFindingException.Require(
            message.Serialized.AsSpan().SequenceEqual(again.Serialized)
            && message.RegistrationId == again.RegistrationId
            && message.PreKeyId == again.PreKeyId
            && message.SignedPreKeyId == again.SignedPreKeyId
            && message.BaseKey.Bytes.SequenceEqual(again.BaseKey.Bytes)
            && message.IdentityKey.Equals(again.IdentityKey)
            && SignalMessageTarget.SameFields(message.Message, again.Message),
            "parsing Serialized again gives the same fields");
        SignalMessageTarget.Check(message.Message, message.Message.Serialized);
    }
}
