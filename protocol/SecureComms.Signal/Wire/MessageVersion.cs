namespace SecureComms.Signal.Wire;

/// <summary>
/// The version byte that opens every Signal message: (message version &lt;&lt; 4) | highest version the
/// sender speaks.
/// </summary>
/// <remarks>
/// We speak only the classic version 3 (X3DH, no Kyber). We emit <see cref="EmittedByte"/> = 0x33, which
/// every v3 implementation accepts (libsignal-protocol-typescript accepts only that byte); we accept any
/// byte whose high nibble is 3, such as libsignal's 0x34, and MAC the byte exactly as received.
/// </remarks>
public static class MessageVersion
{
    /// <summary>The classic Signal protocol version.</summary>
    public const int Current = 3;

    /// <summary>The byte we write: 0x33.</summary>
    public const byte EmittedByte = (Current << 4) | Current;

    /// <summary>Checks the high nibble of a received version byte.</summary>
    /// <exception cref="SignalProtocolException">LegacyVersion below 3, UnknownVersion above.</exception>
    public static void Check(byte versionByte)
    {
        // Stryker disable once all : equivalent; a byte widened to int is never negative, so >> and >>> agree.
        int version = versionByte >> 4;
        if (version < Current)
        {
            throw new SignalProtocolException(SignalError.LegacyVersion, $"Message version {version} is older than {Current}.", version, Current);
        }
        if (version > Current)
        {
            throw new SignalProtocolException(SignalError.UnknownVersion, $"Message version {version} is newer than {Current}.", version, Current);
        }
    }
}
