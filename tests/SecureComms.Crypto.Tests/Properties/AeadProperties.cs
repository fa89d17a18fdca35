using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SecureComms.Crypto.Tests.Contracts;

namespace SecureComms.Crypto.Tests.Properties;

/// <summary>
/// <see cref="Aes256Gcm"/> for arbitrary key, nonce (96-bit and other lengths), plaintext and associated
/// data: Open inverts Seal, and any single flipped bit anywhere in what the receiver gets is refused with
/// the plaintext buffer zeroed (STYLE.md §12).
/// </summary>
public sealed class AeadProperties
{
    [Property(MaxTest = 300)]
    public Property Open_inverts_Seal() => Prop.ForAll(CryptoGen.Aead, input =>
    {
        var (ciphertext, tag) = Seal(input);
        using var aead = new Aes256Gcm(input.Key);
        var opened = TestBytes.Poisoned(input.Plaintext.Length);
        return aead.TryOpen(input.Nonce, ciphertext, tag, opened, input.AssociatedData)
            && opened.AsSpan().SequenceEqual(input.Plaintext);
    });

    [Property(MaxTest = 300)]
    public Property A_flipped_bit_in_ciphertext_tag_nonce_or_associated_data_is_refused_and_zeroes_the_output() =>
        Prop.ForAll(CryptoGen.WithBit(CryptoGen.Aead, ReceivedBits), tampered =>
        {
            var input = tampered.Input;
            var (ciphertext, tag) = Seal(input);
            // Everything the receiver gets, end to end; flip one bit, then cut it back into its fields.
            byte[] received = TestBytes.FlipBit([.. ciphertext, .. tag, .. input.Nonce, .. input.AssociatedData], tampered.Bit);
            int tagStart = ciphertext.Length;
            int nonceStart = tagStart + Aes256Gcm.TagSizeInBytes;
            int adStart = nonceStart + input.Nonce.Length;
            using var aead = new Aes256Gcm(input.Key);
            var plaintext = TestBytes.Poisoned(ciphertext.Length);
            bool opened = aead.TryOpen(
                received[nonceStart..adStart], received[..tagStart], received[tagStart..nonceStart], plaintext, received[adStart..]);
            return !opened && TestBytes.IsAllZero(plaintext);
        });

    private static int ReceivedBits(AeadInput input) =>
        8 * (input.Plaintext.Length + Aes256Gcm.TagSizeInBytes + input.Nonce.Length + input.AssociatedData.Length);

    private static (byte[] Ciphertext, byte[] Tag) Seal(AeadInput input)
    {
        using var aead = new Aes256Gcm(input.Key);
        var ciphertext = new byte[input.Plaintext.Length];
        var tag = new byte[Aes256Gcm.TagSizeInBytes];
        aead.Seal(input.Nonce, input.Plaintext, ciphertext, tag, input.AssociatedData);
        return (ciphertext, tag);
    }
}
