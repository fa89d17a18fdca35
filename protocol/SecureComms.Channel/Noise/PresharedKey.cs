using SecureComms.Crypto;

namespace SecureComms.Channel.Noise;

/// <summary>
/// A Noise pre-shared symmetric key (§9): 32 bytes both parties hold, mixed in by a <c>psk</c> token
/// (<see cref="SymmetricState.MixKeyAndHash"/>). A <see cref="Secret"/> container: wiped on dispose, never shown.
/// </summary>
/// <remarks>Hazard: a PSK is pairwise; reuse across peers lets one peer impersonate another to holders of it.</remarks>
public sealed class PresharedKey : Secret
{
    /// <summary>PSK size: 256 bits (§9).</summary>
    public const int SizeInBytes = NoiseLimits.KeyLength;

    private PresharedKey(ReadOnlySpan<byte> value) : base(value, exportable: false) { }

    /// <summary>Copies a 32-byte key into a new container.</summary>
    public static PresharedKey Import(ReadOnlySpan<byte> key)
    {
        if (key.Length != SizeInBytes)
        {
            throw new ArgumentException($"Pre-shared key must be {SizeInBytes} bytes.", nameof(key));
        }
        return new PresharedKey(key);
    }

    internal ReadOnlySpan<byte> Bytes => Value;
}
