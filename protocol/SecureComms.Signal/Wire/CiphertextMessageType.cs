namespace SecureComms.Signal.Wire;

/// <summary>The kinds of ciphertext, numbered as libsignal numbers them (and the shim's <c>type</c>).</summary>
public enum CiphertextMessageType
{
    /// <summary>A Double Ratchet message in an established session (libsignal <c>Whisper</c>).</summary>
    Whisper = 2,

    /// <summary>The first messages of a session: X3DH parameters wrapping a SignalMessage.</summary>
    PreKey = 3,
}

/// <summary>A ciphertext ready to send: its type and its serialized bytes.</summary>
/// <param name="Type">Whisper or PreKey.</param>
/// <param name="Serialized">The wire bytes, version byte first.</param>
public sealed record CiphertextMessage(CiphertextMessageType Type, byte[] Serialized);
