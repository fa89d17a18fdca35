using SecureComms.Crypto;

namespace SecureComms.Vectors.Suites;

/// <summary>
/// NIST SP 800-38A Appendix F example vectors for AES-256 (<c>nist/sp800_38a_aes256.json</c>): F.2.5/F.2.6
/// CBC-AES256 against <see cref="Aes256Cbc"/> and F.5.5/F.5.6 CTR-AES256 against <see cref="Aes256Ctr"/>.
/// </summary>
/// <remarks>
/// <para><b>CBC</b> (§6.2: C<sub>1</sub> = CIPH<sub>K</sub>(P<sub>1</sub> ⊕ IV), C<sub>j</sub> =
/// CIPH<sub>K</sub>(P<sub>j</sub> ⊕ C<sub>j-1</sub>)). The vectors are four whole blocks without padding, while
/// <see cref="Aes256Cbc"/> always pads (PKCS#7, RFC 5652 §6.3), here with one full block of 0x10 bytes. Each
/// C<sub>j</sub> depends only on the IV and P<sub>1</sub>…P<sub>j</sub>, so the first four blocks of our output must
/// equal the vector's ciphertext (the CBC prefix property) and the fifth is the encrypted padding block. Decrypting
/// that whole output, i.e. the vector's ciphertext followed by our padding block, must return the plaintext. F.2.5
/// (encrypt) and F.2.6 (decrypt) hold the same values and are both checked both ways.</para>
/// <para><b>CTR</b> (§6.5: C<sub>j</sub> = P<sub>j</sub> ⊕ CIPH<sub>K</sub>(T<sub>j</sub>), counter blocks
/// T<sub>j</sub> incremented as in Appendix B.1). The vector's <c>iv</c> is the initial counter block
/// T<sub>1</sub>; the transform must map the plaintext to the ciphertext and back.</para>
/// </remarks>
public sealed class NistSp80038a() : VectorSuite("nist/sp800-38a", "nist/sp800_38a_aes256.json")
{
    /// <summary>AES block size: 128 bits.</summary>
    private const int BlockSizeInBytes = 128 / 8;

    /// <inheritdoc/>
    protected override Verdict Check(VectorCase testCase)
    {
        byte[] key = testCase.Bytes("key"), iv = testCase.Bytes("iv");
        byte[] plaintext = testCase.Bytes("plaintext"), ciphertext = testCase.Bytes("ciphertext");
        if (plaintext.Length == 0 || plaintext.Length % BlockSizeInBytes != 0 || ciphertext.Length != plaintext.Length)
        {
            throw new VectorFormatException($"case {testCase.Id}: plaintext and ciphertext must be the same whole number of blocks");
        }
        return testCase.Text("mode") switch
        {
            "cbc" => CheckCbc(key, iv, plaintext, ciphertext),
            "ctr" => CheckCtr(key, iv, plaintext, ciphertext),
            string mode => Verdict.Fail($"unknown mode '{mode}'"),
        };
    }

    /// <summary>§6.2 CBC: prefix property of the padded encryption, then decryption of the whole output.</summary>
    private static Verdict CheckCbc(byte[] key, byte[] iv, byte[] plaintext, byte[] ciphertext)
    {
        using var cbc = new Aes256Cbc(key);
        var output = new byte[Aes256Cbc.CiphertextLength(plaintext.Length)];
        int written = cbc.Encrypt(iv, plaintext, output);
        if (written != plaintext.Length + BlockSizeInBytes)
        {
            return Verdict.Fail($"encryption wrote {written} bytes, expected the {plaintext.Length} of the vector plus one padding block");
        }
        if (!output.AsSpan(0, ciphertext.Length).SequenceEqual(ciphertext))
        {
            return Verdict.Fail("the first blocks of the ciphertext differ from the vector's ciphertext");
        }
        var decrypted = new byte[output.Length];
        bool opened = cbc.TryDecrypt(iv, output, decrypted, out int length);
        return Verdict.PassIf(
            opened && decrypted.AsSpan(0, length).SequenceEqual(plaintext),
            "decrypting the vector's ciphertext and our padding block does not return the plaintext");
    }

    /// <summary>§6.5 CTR: the keystream from the initial counter block maps plaintext to ciphertext and back.</summary>
    private static Verdict CheckCtr(byte[] key, byte[] initialCounterBlock, byte[] plaintext, byte[] ciphertext)
    {
        var encrypted = new byte[plaintext.Length];
        var decrypted = new byte[ciphertext.Length];
        Aes256Ctr.Transform(key, initialCounterBlock, plaintext, encrypted);
        Aes256Ctr.Transform(key, initialCounterBlock, ciphertext, decrypted);
        return Verdict.PassIf(
            encrypted.AsSpan().SequenceEqual(ciphertext) && decrypted.AsSpan().SequenceEqual(plaintext),
            "encryption or decryption differs");
    }
}
