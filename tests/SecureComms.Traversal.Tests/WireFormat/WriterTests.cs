using System.Net;
using SecureComms.Traversal.Stun;
using SecureComms.Traversal.Stun.Attributes;

namespace SecureComms.Traversal.Tests.WireFormat;

/// <summary>
/// <see cref="StunWriter"/>: integrity attributes computed where the message places them with the §14.5-14.7
/// length adjustments, checked by the reader's side; misuse refused; message type encoding.
/// </summary>
public sealed class WriterTests
{
    private static readonly IPEndPoint Reflexive = new(IPAddress.Parse("203.0.113.7"), 40000);

    private static StunMessage Response(params StunAttribute[] tail) => new(
        StunClass.SuccessResponse, StunMethod.Binding, TransactionId.New(),
        [new SoftwareAttribute("SecureComms"), new XorMappedAddressAttribute(Reflexive), .. tail]);

    [Fact]
    public void MessageIntegritySha256AfterMessageIntegrityBothVerifyAndFingerprintIsChecked()
    {
        using var key = StunKey.ShortTerm("secret");
        using var other = StunKey.ShortTerm("secreT");
        byte[] bytes = StunWriter.Write(Response(
            MessageIntegrityAttribute.Placeholder(), MessageIntegritySha256Attribute.Placeholder(), FingerprintAttribute.Placeholder()), key);
        Assert.True(StunReader.TryRead(bytes, out var message, out var error), error?.ToString());
        Assert.Equal(IntegrityCheck.Valid, message.VerifyMessageIntegrity(key));
        Assert.Equal(IntegrityCheck.Valid, message.VerifyMessageIntegritySha256(key));
        Assert.Equal(IntegrityCheck.Valid, message.VerifyIntegrity(key));
        Assert.Equal(IntegrityCheck.Invalid, message.VerifyMessageIntegrity(other));
        Assert.Equal(IntegrityCheck.Invalid, message.VerifyMessageIntegritySha256(other));
        Assert.Equal(Reflexive, message.Get<XorMappedAddressAttribute>()!.EndPoint);
    }

    [Fact]
    public void TruncatedMessageIntegritySha256VerifiesOnlyWhereTheCallerAcceptsTruncation()
    {
        using var key = StunKey.LongTerm("user", "realm", "pass", PasswordAlgorithm.Sha256);
        byte[] bytes = StunWriter.Write(Response(MessageIntegritySha256Attribute.Placeholder(16)), key);
        Assert.True(StunReader.TryRead(bytes, out var message, out _));
        Assert.Equal(16, message.Get<MessageIntegritySha256Attribute>()!.ValueLength);
        Assert.Equal(IntegrityCheck.TooShort, message.VerifyMessageIntegritySha256(key));
        Assert.Equal(IntegrityCheck.TooShort, message.VerifyIntegrity(key));
        Assert.Equal(IntegrityCheck.Valid, message.VerifyMessageIntegritySha256(key, minLength: 16));
        Assert.Equal(IntegrityCheck.Absent, message.VerifyMessageIntegrity(key));
    }

    [Fact]
    public void LongTermKeysHaveTheAlgorithmsSizesAndDiffer()
    {
        using var md5 = StunKey.LongTerm("user", "realm", "pass");
        using var sha256 = StunKey.LongTerm("user", "realm", "pass", PasswordAlgorithm.Sha256);
        Assert.Equal(16, md5.Length);
        Assert.Equal(32, sha256.Length);
        Assert.False(md5.IsExportable);
        Assert.DoesNotContain("pass", md5.ToString(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => StunKey.LongTerm("u", "r", "p", (PasswordAlgorithm)7));
        byte[] bytes = StunWriter.Write(Response(MessageIntegrityAttribute.Placeholder()), md5);
        Assert.True(StunReader.TryRead(bytes, out var message, out _));
        Assert.Equal(IntegrityCheck.Invalid, message.VerifyMessageIntegrity(sha256));
    }

    [Fact]
    public void MessageIntegrityIgnoresTheFingerprintAfterIt()
    {
        // §14.5: the length is adjusted to end at MESSAGE-INTEGRITY, so the same MAC with or without FINGERPRINT.
        using var key = StunKey.ShortTerm("secret");
        var id = TransactionId.New();
        StunAttribute[] head = [new UsernameAttribute("alice")];
        byte[] with = StunWriter.Write(new StunMessage(StunClass.Request, StunMethod.Binding, id,
            [.. head, MessageIntegrityAttribute.Placeholder(), FingerprintAttribute.Placeholder()]), key);
        byte[] without = StunWriter.Write(new StunMessage(StunClass.Request, StunMethod.Binding, id,
            [.. head, MessageIntegrityAttribute.Placeholder()]), key);
        Assert.Equal(without.AsSpan(20).ToArray(), with.AsSpan(20, without.Length - 20).ToArray());
        Assert.NotEqual(without[3], with[3]); // the header lengths differ
    }

    [Fact]
    public void WithoutAKeyIntegrityValuesAreWrittenAsTheyAre()
    {
        byte[] sample = Samples.Bytes(Samples.IPv4Response);
        var parsed = Samples.Read(sample);
        Assert.Equal(sample, StunWriter.Write(parsed, key: null, paddingByte: 0x20));
    }

    [Fact]
    public void LocallyBuiltMessagesHaveNothingToVerify()
    {
        using var key = StunKey.ShortTerm("secret");
        Assert.Equal(IntegrityCheck.Absent, Response(MessageIntegrityAttribute.Placeholder()).VerifyMessageIntegrity(key));
    }

    public static TheoryData<StunAttribute[]> BadOrders => new()
    {
        new StunAttribute[] { MessageIntegrityAttribute.Placeholder(), new SoftwareAttribute("x") },
        new StunAttribute[] { FingerprintAttribute.Placeholder(), MessageIntegrityAttribute.Placeholder() },
        new StunAttribute[] { MessageIntegritySha256Attribute.Placeholder(), MessageIntegrityAttribute.Placeholder() },
        new StunAttribute[] { MessageIntegrityAttribute.Placeholder(), MessageIntegrityAttribute.Placeholder() },
        new StunAttribute[] { FingerprintAttribute.Placeholder(), FingerprintAttribute.Placeholder() },
    };

    [Theory]
    [MemberData(nameof(BadOrders))]
    public void IntegrityAttributesOutOfOrderAreMisuse(StunAttribute[] attributes)
    {
        var message = new StunMessage(StunClass.Request, StunMethod.Binding, TransactionId.New(), attributes);
        Assert.Throws<ArgumentException>(() => StunWriter.Write(message));
    }

    [Fact]
    public void BoundsAreMisuse()
    {
        var many = new StunMessage(StunClass.Indication, StunMethod.Binding, TransactionId.New(),
            Enumerable.Range(0, StunLimits.MaxAttributes + 1).Select(_ => new RawAttribute(0x8030, [])));
        Assert.Throws<ArgumentException>(() => StunWriter.Write(many));
        var big = new StunMessage(StunClass.Indication, StunMethod.Binding, TransactionId.New(),
            [new RawAttribute(0x8030, new byte[40000]), new RawAttribute(0x8031, new byte[40000])]);
        Assert.Throws<ArgumentException>(() => StunWriter.Write(big));
        Assert.Throws<ArgumentException>(() => new SoftwareAttribute(new string('s', 128)));
        Assert.Throws<ArgumentException>(() => new UsernameAttribute(new string('u', 509)));
        Assert.Throws<ArgumentException>(() => new SoftwareAttribute("\uD800"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ErrorCodeAttribute(700, "x"));
        Assert.Throws<ArgumentException>(() => new MessageIntegritySha256Attribute(new byte[20 - 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new StunMessage(StunClass.Request, (StunMethod)0x1000, TransactionId.New(), []));
    }

    [Theory]
    [InlineData(StunClass.Request, 0x0001)]
    [InlineData(StunClass.Indication, 0x0011)]
    [InlineData(StunClass.SuccessResponse, 0x0101)]
    [InlineData(StunClass.ErrorResponse, 0x0111)]
    public void BindingMessageTypes(StunClass messageClass, int type)
    {
        Assert.Equal(type, StunMessageType.Encode(StunMethod.Binding, messageClass));
        Assert.Equal((StunMethod.Binding, messageClass), StunMessageType.Decode((ushort)type));
    }

    [Fact]
    public void EveryMethodAndClassRoundTripsThroughTheFourteenBitType()
    {
        var seen = new HashSet<ushort>();
        for (int method = 0; method <= StunMessageType.MaxMethod; method++)
        {
            foreach (var messageClass in Enum.GetValues<StunClass>())
            {
                ushort type = StunMessageType.Encode((StunMethod)method, messageClass);
                Assert.Equal(0, type & StunMessageType.LeadingBitsMask);
                Assert.Equal(((StunMethod)method, messageClass), StunMessageType.Decode(type));
                Assert.True(seen.Add(type));
            }
        }
    }

    [Fact]
    public void ErrorResponseWithUnknownAttributes()
    {
        var message = new StunMessage(StunClass.ErrorResponse, StunMethod.Binding, TransactionId.New(),
            [new ErrorCodeAttribute(ErrorCodeAttribute.UnknownAttribute, "Unknown Attribute"),
             new UnknownAttributesAttribute([0x0024, 0x0025])]);
        byte[] bytes = StunWriter.Write(message);
        Assert.Equal([0x00, 0x00, 0x04, 0x14], bytes[24..28]); // class 4, number 20
        Assert.True(StunReader.TryRead(bytes, out var read, out _));
        Assert.Equal(message, read);
        Assert.Equal(420, read.Get<ErrorCodeAttribute>()!.Code);
        Assert.Equal([(ushort)0x0024, (ushort)0x0025], read.Get<UnknownAttributesAttribute>()!.Types);
    }

    [Fact]
    public void PasswordAlgorithmsAndUserHash()
    {
        var message = new StunMessage(StunClass.ErrorResponse, StunMethod.Binding, TransactionId.New(),
            [new PasswordAlgorithmsAttribute([new((ushort)PasswordAlgorithm.Sha256), new((ushort)PasswordAlgorithm.Md5), new(0x0077, [1, 2, 3])]),
             new PasswordAlgorithmAttribute(new((ushort)PasswordAlgorithm.Sha256)),
             UserHashAttribute.Compute("user", "realm"),
             new AlternateServerAttribute(new IPEndPoint(IPAddress.IPv6Loopback, 3478)),
             new MappedAddressAttribute(Reflexive)]);
        byte[] bytes = StunWriter.Write(message);
        Assert.True(StunReader.TryRead(bytes, out var read, out var error), error?.ToString());
        Assert.Equal(message, read);
        var algorithms = read.Get<PasswordAlgorithmsAttribute>()!.Entries;
        Assert.Equal([2, 1, 0x77], algorithms.Select(e => (int)e.Algorithm));
        Assert.Equal([1, 2, 3], algorithms[2].Parameters.ToArray());
        Assert.Equal(Convert.FromHexString("0002000000010000007700030102030000"[..32]), bytes[24..40]);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 3478), read.Get<AlternateServerAttribute>()!.EndPoint);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData("user:realm"u8), read.Get<UserHashAttribute>()!.Hash.ToArray());
    }
}
