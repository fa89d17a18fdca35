using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SecureComms.Crypto.Tests.Contracts;

namespace SecureComms.Crypto.Tests.Properties;

/// <summary>
/// <see cref="HmacSha256.Verify"/> for arbitrary keys and data: it accepts exactly the leftmost 8 to 32 bytes
/// of the true MAC, and refuses every one-bit change of an accepted MAC.
/// </summary>
public sealed class HmacProperties
{
    /// <summary>Key, data, and a length 0..40 for the candidate MAC (longer than 32: the MAC then extra bytes).</summary>
    private static Arbitrary<(byte[] Key, byte[] Data, int Length, byte[] Extra)> Candidates =>
        (from key in CryptoGen.BytesUpTo(80)
         from data in CryptoGen.BytesUpTo(100)
         from length in Gen.Choose(0, 40)
         from extra in CryptoGen.Bytes(8)
         select (key, data, length, extra)).ToArbitrary();

    private static Arbitrary<Tampered<(byte[] Key, byte[] Data, int Length)>> Accepted =>
        CryptoGen.WithBit(
            (from key in CryptoGen.BytesUpTo(80)
             from data in CryptoGen.BytesUpTo(100)
             from length in Gen.Choose(HmacSha256.MinTruncatedMacSizeInBytes, HmacSha256.MacSizeInBytes)
             select (key, data, length)).ToArbitrary(),
            input => 8 * input.length);

    [Property(MaxTest = 300)]
    public Property Verify_accepts_exactly_the_prefixes_of_8_to_32_bytes() => Prop.ForAll(Candidates, input =>
    {
        byte[] mac = TestBytes.Mac(input.Key, input.Data);
        byte[] candidate = input.Length <= mac.Length ? mac[..input.Length] : [.. mac, .. input.Extra[..(input.Length - mac.Length)]];
        bool expected = input.Length is >= 8 and <= 32;
        return HmacSha256.Verify(input.Key, input.Data, candidate) == expected;
    });

    [Property(MaxTest = 300)]
    public Property Verify_refuses_any_one_bit_change_of_an_accepted_mac() => Prop.ForAll(Accepted, tampered =>
    {
        var (key, data, length) = tampered.Input;
        byte[] mac = TestBytes.Mac(key, data)[..length];
        return HmacSha256.Verify(key, data, mac) && !HmacSha256.Verify(key, data, TestBytes.FlipBit(mac, tampered.Bit));
    });
}
