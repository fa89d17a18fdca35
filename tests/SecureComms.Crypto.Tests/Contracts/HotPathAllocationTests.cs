namespace SecureComms.Crypto.Tests.Contracts;

/// <summary>
/// The record path allocates nothing (the foundation issue: sealing and opening a 1,200-byte record must
/// allocate nothing), nor do agreement and signatures once their keys exist. Measured with the runtime's per-thread allocation counter around warm calls; bench/
/// shows the same with BenchmarkDotNet's MemoryDiagnoser.
/// </summary>
public sealed class HotPathAllocationTests
{
    private const int RecordSize = 1200;

    [Fact]
    public void Seal_and_open_of_a_1200_byte_record_with_a_96_bit_nonce_allocate_nothing()
    {
        using var aead = new Aes256Gcm(TestBytes.Seeded(32, 1));
        byte[] nonce = TestBytes.Seeded(Aes256Gcm.NonceSizeInBytes, 2), ad = TestBytes.Seeded(13, 3);
        byte[] plaintext = TestBytes.Seeded(RecordSize, 4), ciphertext = new byte[RecordSize], opened = new byte[RecordSize];
        byte[] tag = new byte[Aes256Gcm.TagSizeInBytes];
        aead.Seal(nonce, plaintext, ciphertext, tag, ad);
        Assert.True(aead.TryOpen(nonce, ciphertext, tag, opened, ad));

        int opens = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            aead.Seal(nonce, plaintext, ciphertext, tag, ad);
            opens += aead.TryOpen(nonce, ciphertext, tag, opened, ad) ? 1 : 0;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(100, opens);
        Assert.Equal(plaintext, opened);
    }

    [Fact]
    public void NonceCounter_and_X25519_agreement_allocate_nothing()
    {
        using var ours = X25519PrivateKey.Generate();
        using var theirs = X25519PrivateKey.Generate();
        var counter = new NonceCounter();
        byte[] nonce = new byte[NonceCounter.NonceSizeInBytes], shared = new byte[X25519.SharedSecretSizeInBytes];
        Assert.Equal(AgreementResult.Success, X25519.Agree(ours, theirs.PublicKey, shared));

        int succeeded = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            // No assertion inside the measured loop: xunit's Assert.Equal allocates.
            if (counter.TryNext(nonce) && X25519.Agree(ours, theirs.PublicKey, shared) == AgreementResult.Success)
            {
                succeeded++;
            }
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(100, succeeded);
    }

    [Fact]
    public void XEdDSA_and_Ed25519_sign_and_verify_allocate_nothing_once_the_keys_are_warm()
    {
        using var x25519 = X25519PrivateKey.Generate();
        using var ed25519 = Ed25519PrivateKey.Generate();
        byte[] message = TestBytes.Seeded(33, 5), signature = new byte[XEdDsa.SignatureSizeInBytes];
        XEdDsa.Sign(x25519, message, signature);
        Assert.True(XEdDsa.Verify(x25519.PublicKey, message, signature));

        int verified = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            XEdDsa.Sign(x25519, message, signature);
            verified += XEdDsa.Verify(x25519.PublicKey, message, signature) ? 1 : 0;
            Ed25519.Sign(ed25519, message, signature);
            verified += Ed25519.Verify(ed25519.PublicKey, message, signature) ? 1 : 0;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(40, verified);
    }
}
