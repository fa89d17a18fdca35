using SecureComms.Crypto;

namespace SecureComms.Vectors.Suites;

/// <summary>
/// McGrew and Viega, "The Galois/Counter Mode of Operation", Appendix B test cases 13-18 (AES-256;
/// 17 and 18 use 8- and 60-byte IVs) against <see cref="Aes256Gcm"/>.
/// </summary>
public sealed class GcmSpec() : VectorSuite("gcm-spec", "rfc/gcm_spec_aes256_tc13-18.json")
{
    /// <inheritdoc/>
    protected override Verdict Check(VectorCase testCase)
    {
        byte[] iv = testCase.Bytes("iv"), aad = testCase.Bytes("aad"), plaintext = testCase.Bytes("plaintext");
        byte[] ciphertext = testCase.Bytes("ciphertext"), tag = testCase.Bytes("tag");
        using var aead = new Aes256Gcm(testCase.Bytes("key"));
        var sealedCt = new byte[plaintext.Length];
        var sealedTag = new byte[Aes256Gcm.TagSizeInBytes];
        aead.Seal(iv, plaintext, sealedCt, sealedTag, aad);
        var opened = new byte[ciphertext.Length];
        bool ok = aead.TryOpen(iv, ciphertext, tag, opened, aad);
        return Verdict.PassIf(
            ok && opened.AsSpan().SequenceEqual(plaintext)
            && sealedCt.AsSpan().SequenceEqual(ciphertext) && sealedTag.AsSpan().SequenceEqual(tag),
            "seal or open differs");
    }
}
