using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SecureComms.Crypto.Tests.Contracts;

namespace SecureComms.Crypto.Tests.Properties;

/// <summary>
/// <see cref="XEdDsa"/> and <see cref="Ed25519"/> for arbitrary keys, messages and Z: a signature verifies,
/// and a one-bit change in the message or the signature does not. XEdDSA also equals the spec's
/// xeddsa_sign transcribed in <see cref="ReferenceXEdDsa"/>.
/// </summary>
public sealed class SignatureProperties
{
    /// <summary>A bit of the message (first) or of the 64-byte signature (after).</summary>
    private static Arbitrary<Tampered<SignatureInput>> TamperedSignatures =>
        CryptoGen.WithBit(CryptoGen.Signature, input => 8 * (input.Message.Length + XEdDsa.SignatureSizeInBytes));

    [Property(MaxTest = 150)]
    public Property XEdDsa_signatures_verify_and_any_flipped_bit_fails() => Prop.ForAll(TamperedSignatures, tampered =>
    {
        var input = tampered.Input;
        using var key = X25519PrivateKey.Import(input.Key);
        var signature = new byte[XEdDsa.SignatureSizeInBytes];
        XEdDsa.Sign(key, input.Message, input.Random, signature);
        var (message, changed) = Flip(input.Message, signature, tampered.Bit);
        return XEdDsa.Verify(key.PublicKey, input.Message, signature)
            && !XEdDsa.Verify(key.PublicKey, message, changed);
    });

    [Property(MaxTest = 100)]
    public Property XEdDsa_sign_equals_the_spec_transcription() => Prop.ForAll(CryptoGen.Signature, input =>
    {
        using var key = X25519PrivateKey.Import(input.Key);
        var signature = new byte[XEdDsa.SignatureSizeInBytes];
        XEdDsa.Sign(key, input.Message, input.Random, signature);
        return signature.AsSpan().SequenceEqual(ReferenceXEdDsa.SignAsSpec(input.Key, input.Message, input.Random));
    });

    [Property(MaxTest = 150)]
    public Property Ed25519_signatures_verify_and_any_flipped_bit_fails() => Prop.ForAll(TamperedSignatures, tampered =>
    {
        var input = tampered.Input;
        using var key = Ed25519PrivateKey.Import(input.Key);
        var signature = new byte[Ed25519.SignatureSizeInBytes];
        Ed25519.Sign(key, input.Message, signature);
        var (message, changed) = Flip(input.Message, signature, tampered.Bit);
        return Ed25519.Verify(key.PublicKey, input.Message, signature)
            && !Ed25519.Verify(key.PublicKey, message, changed);
    });

    private static (byte[] Message, byte[] Signature) Flip(byte[] message, byte[] signature, int bit) =>
        bit < 8 * message.Length
            ? (TestBytes.FlipBit(message, bit), signature)
            : (message, TestBytes.FlipBit(signature, bit - 8 * message.Length));
}
