using SecureComms.Crypto;

namespace SecureComms.Vectors.Suites;

/// <summary>
/// Wycheproof <c>aes_gcm_test.json</c> (NIST SP 800-38D) against <see cref="Aes256Gcm"/>: every AES-256
/// case, at every IV size in the file (the wrapper accepts any non-empty IV); seal must reproduce the
/// ciphertext and tag, open must return the message, and a refused open must leave the output zeroed.
/// </summary>
public sealed class WycheproofAesGcm() : WycheproofSuite("aes_gcm_test")
{
    /// <summary>Why a case with a <paramref name="keySizeInBits"/>-bit key (not 256) is skipped.</summary>
    public static string KeySizeSkipReason(int keySizeInBits) => $"AES-{keySizeInBits} key: SecureComms wraps AES-256-GCM only";

    /// <inheritdoc/>
    protected override string? SkipReason(VectorCase testCase)
    {
        int keySize = testCase.Int("keySize");
        return keySize == Aes256Gcm.KeySizeInBytes * 8 ? null : KeySizeSkipReason(keySize);
    }

    /// <inheritdoc/>
    protected override Attempt Try(VectorCase testCase)
    {
        byte[] iv = testCase.Bytes("iv"), aad = testCase.Bytes("aad"), msg = testCase.Bytes("msg");
        byte[] ct = testCase.Bytes("ct"), tag = testCase.Bytes("tag");
        using var aead = new Aes256Gcm(testCase.Bytes("key"));
        if (ct.Length != msg.Length || tag.Length != Aes256Gcm.TagSizeInBytes)
        {
            return Attempt.Rejected;
        }
        var opened = new byte[ct.Length];
        Array.Fill(opened, (byte)0xA5);
        if (!aead.TryOpen(iv, ct, tag, opened, aad))
        {
            return opened.AsSpan().IndexOfAnyExcept((byte)0) < 0 ? Attempt.Rejected : Attempt.WrongOutput;
        }
        var sealedCt = new byte[msg.Length];
        var sealedTag = new byte[Aes256Gcm.TagSizeInBytes];
        aead.Seal(iv, msg, sealedCt, sealedTag, aad);
        return opened.AsSpan().SequenceEqual(msg) && sealedCt.AsSpan().SequenceEqual(ct)
            ? Matches(sealedTag, tag)
            : Attempt.WrongOutput;
    }
}
