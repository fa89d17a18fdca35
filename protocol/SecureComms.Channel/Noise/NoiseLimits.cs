using SecureComms.Crypto;

namespace SecureComms.Channel.Noise;

/// <summary>
/// The sizes and bounds of the one Noise suite SecureComms speaks, <c>25519_AESGCM_SHA256</c>, each with its reason.
/// </summary>
/// <remarks>References: Noise rev. 34 §3 (message size), §4 (DHLEN, HASHLEN), §5.1 (reserved nonce), §12.1, §12.4, §12.5.</remarks>
public static class NoiseLimits
{
    /// <summary>Largest Noise message, handshake or transport: 65535 bytes (§3), so a 16-bit length field can carry it.</summary>
    public const int MaxMessageLength = 65535;

    /// <summary>AEAD authentication data appended to every encrypted field: 128 bits (§3, §12.4).</summary>
    public const int TagLength = Aes256Gcm.TagSizeInBytes;

    /// <summary>Largest transport plaintext: a message of <see cref="MaxMessageLength"/> less its tag.</summary>
    public const int MaxPlaintextLength = MaxMessageLength - TagLength;

    /// <summary>DHLEN of the 25519 functions: public keys and DH outputs are 32 bytes (§12.1).</summary>
    public const int DhLength = X25519PublicKey.SizeInBytes;

    /// <summary>HASHLEN of SHA256: 32 bytes (§12.5); also the size of <c>h</c> and <c>ck</c>.</summary>
    public const int HashLength = Sha256.HashSizeInBytes;

    /// <summary>Cipher keys and pre-shared keys are 32 bytes (§4.2, §9).</summary>
    public const int KeyLength = Aes256Gcm.KeySizeInBytes;

    /// <summary>The reserved nonce 2^64 − 1 (§5.1): never used for a message, only by REKEY (§4.2).</summary>
    public const ulong ReservedNonce = ulong.MaxValue;

    /// <summary>Longest protocol name: 255 bytes (§8).</summary>
    public const int MaxProtocolNameLength = 255;
}
