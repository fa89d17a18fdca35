using SecureComms.Traversal.Stun;
using SecureComms.Traversal.Stun.Attributes;

namespace SecureComms.Traversal.Tests.Threats;

/// <summary>
/// Every single-bit flip of every RFC 5769 sample (exhaustive: 8 × length flips each) is refused: by the reader
/// (header checks, lengths, attribute values, the FINGERPRINT, the integrity order) or, when it still parses, by
/// MESSAGE-INTEGRITY under the sample's key (invalid, or absent when the flip renamed it). This holds because the reader refuses attributes after the integrity
/// attributes instead of ignoring them (see <see cref="StunReader"/>): with §14.5's "ignore", a flip in
/// FINGERPRINT's type code would be accepted.
/// </summary>
public sealed class BitFlipTests
{
    public static TheoryData<string> Ids => Samples.Ids;

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryBitFlipIsRefused(string id)
    {
        byte[] sample = Samples.Bytes(id);
        using var key = Samples.Key(id);
        int refusedByReader = 0, refusedByIntegrity = 0;
        for (int bit = 0; bit < sample.Length * 8; bit++)
        {
            byte[] flipped = (byte[])sample.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            if (!StunReader.TryRead(flipped, out var message, out _))
            {
                refusedByReader++;
                continue;
            }
            // Invalid, or Absent when the flip hit MESSAGE-INTEGRITY's type code: a receiver that requires
            // credentials refuses both.
            Assert.True(message.VerifyIntegrity(key) != IntegrityCheck.Valid, $"flip of bit {bit} accepted");
            refusedByIntegrity++;
        }
        Assert.Equal(sample.Length * 8, refusedByReader + refusedByIntegrity);
        // With a FINGERPRINT, the reader catches every flip (CRC-32 detects all single-bit errors); without one
        // (§2.4) the flips in the header's ID and in the values reach the MAC.
        bool hasFingerprint = Samples.Read(sample).Get<FingerprintAttribute>() is not null;
        Assert.Equal(hasFingerprint, refusedByIntegrity == 0);
    }

    [Fact]
    public void FlipsInTheFingerprintAreRefusedByTheReaderItself()
    {
        byte[] sample = Samples.Bytes(Samples.IPv4Response);
        for (int bit = 0; bit < 32; bit++)
        {
            byte[] flipped = (byte[])sample.Clone();
            flipped[^(1 + bit / 8)] ^= (byte)(1 << (bit % 8));
            Assert.False(StunReader.TryRead(flipped, out _, out var error));
            Assert.Equal(StunErrorReason.BadFingerprint, error.Reason);
        }
    }
}
