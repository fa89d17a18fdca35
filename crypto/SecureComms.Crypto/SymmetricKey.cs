namespace SecureComms.Crypto;

/// <summary>
/// A 256-bit symmetric key (AES-256, HMAC-SHA256 key, HKDF output) in a <see cref="Secret"/> container.
/// </summary>
/// <remarks>
/// Parameters: <see cref="SizeInBytes"/> = 256 / 8. Hazard: one key, one purpose: derive separate keys for
/// encryption and authentication (HKDF with distinct info strings).
/// </remarks>
public sealed class SymmetricKey : Secret
{
    /// <summary>Key size: 256 bits.</summary>
    public const int SizeInBytes = 256 / 8;

    private SymmetricKey(ReadOnlySpan<byte> value, bool exportable) : base(value, exportable) { }

    private SymmetricKey(bool exportable) : base(SizeInBytes, exportable) { }

    /// <summary>A fresh random key from the operating system's CSPRNG.</summary>
    public static SymmetricKey Generate(bool exportable = false) => new(exportable);

    /// <summary>Copies <paramref name="key"/> (exactly <see cref="SizeInBytes"/> bytes) into a new container.</summary>
    public static SymmetricKey Import(ReadOnlySpan<byte> key, bool exportable = false)
    {
        if (key.Length != SizeInBytes)
        {
            throw new ArgumentException($"Key must be {SizeInBytes} bytes.", nameof(key));
        }
        return new SymmetricKey(key, exportable);
    }

    internal ReadOnlySpan<byte> Bytes => Value;
}
