using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;

namespace SecureComms.Crypto;

/// <summary>
/// AES-256 in counter mode: a keystream cipher, encryption and decryption are the same operation.
/// </summary>
/// <remarks>
/// <para><b>References.</b> NIST SP 800-38A §6.5 (CTR, 128-bit big-endian counter block incremented per
/// block); used by Signal's sealed-sender v1 and attachment paths together with HMAC-SHA256.</para>
/// <para><b>Parameters.</b> Key 32 bytes, initial counter block <see cref="CounterSizeInBytes"/> = 16.</para>
/// <para><b>Implementation.</b> BouncyCastle <see cref="SicBlockCipher"/> over the engine chosen by
/// <see cref="AesUtilities.CreateEngine"/> (AES-NI where available).</para>
/// <para><b>Hazards.</b> Unauthenticated and malleable: always MAC the ciphertext. Never reuse a (key,
/// counter) pair. BouncyCastle keeps its own key schedule, which this wrapper cannot wipe: prefer
/// short-lived instances.</para>
/// </remarks>
public static class Aes256Ctr
{
    /// <summary>Key size: 256 bits.</summary>
    public const int KeySizeInBytes = 256 / 8;

    /// <summary>Counter block size: 128 bits.</summary>
    public const int CounterSizeInBytes = 128 / 8;

    /// <summary>XORs <paramref name="input"/> with the keystream starting at <paramref name="counter"/>.</summary>
    public static void Transform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> counter, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (key.Length != KeySizeInBytes)
        {
            throw new ArgumentException($"Key must be {KeySizeInBytes} bytes.", nameof(key));
        }
        if (counter.Length != CounterSizeInBytes)
        {
            throw new ArgumentException($"Counter block must be {CounterSizeInBytes} bytes.", nameof(counter));
        }
        if (output.Length != input.Length)
        {
            throw new ArgumentException("Output must be as long as input.", nameof(output));
        }
        var cipher = new SicBlockCipher(AesUtilities.CreateEngine());
        // Stryker disable once Boolean : equivalent; CTR encryption and decryption are the same keystream XOR.
        cipher.Init(true, new ParametersWithIV(new KeyParameter(key), counter));
        var stream = new BufferedBlockCipher(cipher);
        int written = stream.ProcessBytes(input, output);
        stream.DoFinal(output[written..]);
    }
}
