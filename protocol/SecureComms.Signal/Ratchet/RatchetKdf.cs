using System.Security.Cryptography;
using SecureComms.Crypto;

namespace SecureComms.Signal.Ratchet;

/// <summary>
/// The Double Ratchet's key derivation functions, instantiated as Signal does (Double Ratchet §5.2).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>KDF_RK(rk, dh_out)</c> = HKDF-SHA256(salt = rk, ikm = dh_out, info = "WhisperRatchet", 64 bytes)
/// → new root key ‖ chain key.</item>
/// <item><c>KDF_CK(ck)</c>: message key seed = HMAC-SHA256(ck, 0x01), next chain key = HMAC-SHA256(ck, 0x02).</item>
/// <item>Message keys = HKDF-SHA256(salt = 0³², ikm = seed, info = "WhisperMessageKeys", 80 bytes)
/// → cipher key (32) ‖ MAC key (32) ‖ IV (16).</item>
/// </list>
/// References: libsignal <c>rust/protocol/src/ratchet/keys.rs</c>.
/// </remarks>
internal static class RatchetKdf
{
    /// <summary>Root and chain keys are 32 bytes.</summary>
    public const int KeySizeInBytes = 32;

    private static ReadOnlySpan<byte> RootInfo => "WhisperRatchet"u8;

    private static ReadOnlySpan<byte> MessageKeysInfo => "WhisperMessageKeys"u8;

    private static ReadOnlySpan<byte> MessageKeySeedInput => [0x01];

    private static ReadOnlySpan<byte> ChainKeyInput => [0x02];

    /// <summary>KDF_RK: (root key, DH output) → (new root key, chain key).</summary>
    public static void KdfRk(ReadOnlySpan<byte> rootKey, ReadOnlySpan<byte> dhOutput, Span<byte> newRootKey, Span<byte> chainKey)
    {
        Span<byte> output = stackalloc byte[2 * KeySizeInBytes];
        HkdfSha256.DeriveKey(dhOutput, rootKey, RootInfo, output);
        output[..KeySizeInBytes].CopyTo(newRootKey);
        output[KeySizeInBytes..].CopyTo(chainKey);
        CryptographicOperations.ZeroMemory(output);
    }

    /// <summary>
    /// KDF_CK: chain key (at <paramref name="index"/>) → (next chain key, the keys of message
    /// <paramref name="index"/>).
    /// </summary>
    public static (byte[] NextChainKey, MessageKeys Keys) KdfCk(ReadOnlySpan<byte> chainKey, uint index)
    {
        byte[] next = new byte[KeySizeInBytes];
        HmacSha256.Compute(chainKey, ChainKeyInput, next);
        Span<byte> seed = stackalloc byte[KeySizeInBytes];
        HmacSha256.Compute(chainKey, MessageKeySeedInput, seed);
        Span<byte> output = stackalloc byte[MessageKeys.SizeInBytes];
        // Stryker disable once all : equivalent; an absent salt is HashLen zero bytes (RFC 5869 §2.2), and HMAC pads
        // any shorter key with zeros, so [] and [0x00] are the same salt.
        HkdfSha256.DeriveKey(seed, [], MessageKeysInfo, output);
        var keys = new MessageKeys(index, output);
        CryptographicOperations.ZeroMemory(seed);
        CryptographicOperations.ZeroMemory(output);
        return (next, keys);
    }
}
