using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SecureComms.Cloud.Certificates;
using static SecureComms.Cloud.Tests.Certificates.CertificateFixture;

namespace SecureComms.Cloud.Tests.Certificates;

/// <summary>
/// Certificates under arbitrary tampering: a single bit flip anywhere in a valid certificate's serialization
/// (envelope tags and lengths, body, signature) never leaves it Valid, and arbitrary bytes give a typed result.
/// </summary>
public sealed class CertificateProperties
{
    private static readonly Gen<string> Username =
        Gen.Choose(1, IdentityCertificate.MaxUsernameLength).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789._-".ToCharArray()), n)).Select(c => new string(c));

    private static readonly Gen<byte[]> IdentityKey = Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), 32).Select(u => (byte[])[0x05, .. u]);

    /// <summary>A certificate for random user, id, key and validity, and a bit index inside it.</summary>
    private static readonly Gen<(byte[] Certificate, string User, byte[] Key, int Bit)> Flipped =
        from user in Username
        from id in Gen.Choose(0, int.MaxValue).Select(i => (ulong)i * 7919)
        from key in IdentityKey
        from hours in Gen.Choose(1, 24 * 30)
        let certificate = Issuer.Issue(user, id, key, Now.AddMinutes(-1), TimeSpan.FromHours(hours)).Serialized.ToArray()
        from bit in Gen.Choose(0, (certificate.Length * 8) - 1)
        select (certificate, user, key, bit);

    [Property(MaxTest = 500)]
    public Property Any_single_bit_flip_makes_a_certificate_not_valid() => Prop.ForAll(Flipped.ToArbitrary(), sample =>
    {
        var (certificate, user, key, bit) = sample;
        if (Check(certificate, user, key) != CertificateStatus.Valid)
        {
            return false;
        }
        byte[] tampered = (byte[])certificate.Clone();
        tampered[bit / 8] ^= (byte)(1 << (bit % 8));
        return Check(tampered, user, key) != CertificateStatus.Valid
            && CertificateVerifier.Verify(tampered, Issuer.PublicKey, user, null, Now, CertificateVerifier.MaxClockSkew).Status != CertificateStatus.Valid;
    });

    [Fact]
    public void Every_single_bit_flip_of_one_certificate_is_refused()
    {
        byte[] certificate = Alice();
        for (int bit = 0; bit < certificate.Length * 8; bit++)
        {
            byte[] tampered = (byte[])certificate.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(CertificateStatus.Valid, Check(tampered, key: null, skew: CertificateVerifier.MaxClockSkew));
        }
    }

    [Property(MaxTest = 1000)]
    public Property Arbitrary_bytes_give_a_typed_refusal() =>
        Prop.ForAll(Gen.Choose(0, 300).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), n)).ToArbitrary(), input =>
        {
            bool parsed = IdentityCertificate.TryParse(input, out var certificate, out _);
            var status = Check(input);
            return parsed == (certificate is not null) && status != CertificateStatus.Valid;
        });
}
