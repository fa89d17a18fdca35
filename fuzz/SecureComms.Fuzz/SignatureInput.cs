namespace SecureComms.Fuzz;

/// <summary>
/// The layout the signature targets read their input in:
/// <c>keyLength:u8 ‖ key ‖ signatureLength:u8 ‖ signature ‖ message</c>.
/// </summary>
/// <remarks>
/// Length prefixes (rather than fixed 32/64-byte slices) let the fuzzer reach the wrong-length paths of
/// key decoding and verification as well as the right-length ones. A prefix larger than what is left is
/// clamped to what is left; a missing prefix reads as zero, so every input splits.
/// </remarks>
public readonly ref struct SignatureInput
{
    private SignatureInput(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> message)
    {
        PublicKey = publicKey;
        Signature = signature;
        Message = message;
    }

    /// <summary>The encoded public key, of any length.</summary>
    public ReadOnlySpan<byte> PublicKey { get; }

    /// <summary>The signature, of any length.</summary>
    public ReadOnlySpan<byte> Signature { get; }

    /// <summary>The signed message: everything after the signature.</summary>
    public ReadOnlySpan<byte> Message { get; }

    /// <summary>Splits <paramref name="data"/>; total.</summary>
    public static SignatureInput Split(ReadOnlySpan<byte> data)
    {
        var publicKey = TakePrefixed(ref data);
        var signature = TakePrefixed(ref data);
        return new SignatureInput(publicKey, signature, data);
    }

    private static ReadOnlySpan<byte> TakePrefixed(scoped ref ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return default;
        }
        int length = Math.Min(data[0], data.Length - 1);
        var part = data.Slice(1, length);
        data = data[(1 + length)..];
        return part;
    }
}
