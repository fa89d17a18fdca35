using System.Net;
using SecureComms.Traversal.Stun;
using SecureComms.Traversal.Stun.Attributes;
using SecureComms.Vectors;
using SecureComms.Vectors.Suites;

namespace SecureComms.Traversal.Tests.Rfc;

/// <summary>
/// RFC 5769 §2.1-2.4: each sample parses, its attribute values are the RFC's, MESSAGE-INTEGRITY verifies with its
/// key, FINGERPRINT is present where the RFC has it, and the message is produced again bit for bit from its parts
/// (the conformance suite <see cref="Rfc5769"/>, which <c>securecomms conformance</c> runs too).
/// </summary>
public sealed class Rfc5769Tests
{
    public static TheoryData<string> Ids => Samples.Ids;

    [Theory]
    [MemberData(nameof(Ids))]
    public void ConformanceSuitePasses(string id)
    {
        var result = new Rfc5769().Run(id);
        Assert.True(result.Outcome == Outcome.Passed, result.ToString());
    }

    [Fact]
    public void ConformanceRegistryListsTheSuiteWithFourCases()
    {
        var report = Conformance.Run(Conformance.Suite("rfc5769"));
        Assert.Equal(4, report.Cases);
        Assert.Equal(4, report.Passed);
    }

    [Fact]
    public void SampleRequest_2_1()
    {
        var message = Samples.Read(Samples.Bytes(Samples.Request));
        Assert.Equal(StunClass.Request, message.Class);
        Assert.Equal(StunMethod.Binding, message.Method);
        Assert.Equal("b7e7a701bc34d686fa87dfae", message.TransactionId.ToString());
        Assert.Equal(
            [0x8022, 0x0024, 0x8029, 0x0006, 0x0008, 0x8028],
            message.Attributes.Select(a => (int)a.Type));
        Assert.Equal("STUN test client", message.Get<SoftwareAttribute>()!.Text);
        Assert.Equal("evtj:h6vY", message.Get<UsernameAttribute>()!.Text);
        // PRIORITY (0x0024) is comprehension-required and not interpreted: the agent's to refuse with 420.
        Assert.Equal([(ushort)0x0024], message.UnknownComprehensionRequired);
        using var key = Samples.Key(Samples.Request);
        Assert.Equal(IntegrityCheck.Valid, message.VerifyMessageIntegrity(key));
        Assert.Equal(IntegrityCheck.Valid, message.VerifyIntegrity(key));
        Assert.Equal(IntegrityCheck.Absent, message.VerifyMessageIntegritySha256(key));
    }

    [Theory]
    [InlineData(Samples.IPv4Response, "192.0.2.1", 32853)]
    [InlineData(Samples.IPv6Response, "2001:db8:1234:5678:11:2233:4455:6677", 32853)]
    public void SampleResponses_2_2_and_2_3(string id, string address, int port)
    {
        var message = Samples.Read(Samples.Bytes(id));
        Assert.Equal(StunClass.SuccessResponse, message.Class);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), message.Get<XorMappedAddressAttribute>()!.EndPoint);
        Assert.Equal("test vector", message.Get<SoftwareAttribute>()!.Text);
        Assert.NotNull(message.Get<FingerprintAttribute>());
        using var key = Samples.Key(id);
        Assert.Equal(IntegrityCheck.Valid, message.VerifyMessageIntegrity(key));
    }

    [Fact]
    public void SampleLongTermRequest_2_4()
    {
        var sample = Samples.Case(Samples.LongTermRequest);
        var message = Samples.Read(Samples.Bytes(Samples.LongTermRequest));
        Assert.Equal("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9", message.Get<UsernameAttribute>()!.Text);
        Assert.Equal(sample.Bytes("username_utf8_hex"), message.Get<UsernameAttribute>()!.Utf8Bytes.ToArray());
        Assert.Equal("f//499k954d6OL34oL9FSTvy64sA", message.Get<NonceAttribute>()!.Text);
        Assert.Equal("example.org", message.Get<RealmAttribute>()!.Text);
        Assert.Null(message.Get<FingerprintAttribute>());
        using var key = Samples.Key(Samples.LongTermRequest);
        Assert.Equal(IntegrityCheck.Valid, message.VerifyMessageIntegrity(key));
        // No SASLprep here: the unprepared password gives another key, which does not verify.
        using var unprepared = StunKey.LongTerm(sample.Text("username"), "example.org", sample.Text("password_before_saslprep"));
        Assert.Equal(IntegrityCheck.Invalid, message.VerifyMessageIntegrity(unprepared));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void ReproducedBitForBitWithTheSamplesPaddingAndNotWithAnother(string id)
    {
        byte[] sample = Samples.Bytes(id);
        var parsed = Samples.Read(sample);
        var rebuilt = new StunMessage(parsed.Class, parsed.Method, parsed.TransactionId,
            parsed.Attributes.Select(StunAttribute (a) => a switch
            {
                MessageIntegrityAttribute => MessageIntegrityAttribute.Placeholder(),
                FingerprintAttribute => FingerprintAttribute.Placeholder(),
                _ => a,
            }));
        using var key = Samples.Key(id);
        byte padding = id == Samples.LongTermRequest ? (byte)0x00 : (byte)0x20;
        Assert.Equal(sample, StunWriter.Write(rebuilt, key, padding));
        // The integrity attributes cover the padding: another padding byte changes them, and the message still reads.
        byte[] other = StunWriter.Write(rebuilt, key, (byte)(padding ^ 0x20));
        Assert.NotEqual(sample, other);
        var reread = Samples.Read(other);
        Assert.Equal(WithoutIntegrity(parsed), WithoutIntegrity(reread));
        Assert.NotEqual(parsed.Get<MessageIntegrityAttribute>(), reread.Get<MessageIntegrityAttribute>());
        Assert.Equal(IntegrityCheck.Valid, reread.VerifyMessageIntegrity(key));
    }

    private static StunAttribute[] WithoutIntegrity(StunMessage message) =>
        [.. message.Attributes.Where(a => a is not (MessageIntegrityAttribute or FingerprintAttribute))];
}
