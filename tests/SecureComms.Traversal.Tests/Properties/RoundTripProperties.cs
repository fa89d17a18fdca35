using System.Net;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SecureComms.Traversal.Stun;
using SecureComms.Traversal.Stun.Attributes;

namespace SecureComms.Traversal.Tests.Properties;

/// <summary>
/// For random messages (every typed attribute, raw ones, optional integrity attributes, any padding byte):
/// write → read gives an equal message; with a key, the integrity verifies; reading never throws on random bytes
/// or on mutations of written messages.
/// </summary>
public sealed class RoundTripProperties
{
    private static readonly Gen<string> Text =
        Gen.Elements("", "a", "evtj:h6vY", "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9", "caf\u00E9 \U0001F600", "x y z 0123456789");

    private static readonly Gen<IPEndPoint> EndPoints =
        Gen.Choose(0, 65535).Zip(Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 16))
            .Zip(Gen.Elements(4, 16))
            .Select(t => new IPEndPoint(new IPAddress(t.Item1.Item2[..t.Item2]), t.Item1.Item1));

    private static readonly Gen<byte[]> Bytes = Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().Select(a => a.Take(40).ToArray());

    private static readonly Gen<StunAttribute> Attributes = Gen.OneOf(
        EndPoints.Select(StunAttribute (e) => new XorMappedAddressAttribute(e)),
        EndPoints.Select(StunAttribute (e) => new MappedAddressAttribute(e)),
        EndPoints.Select(StunAttribute (e) => new AlternateServerAttribute(e)),
        Text.Select(StunAttribute (t) => new UsernameAttribute(t)),
        Text.Select(StunAttribute (t) => new RealmAttribute(t)),
        Text.Select(StunAttribute (t) => new NonceAttribute(t)),
        Text.Select(StunAttribute (t) => new SoftwareAttribute(t)),
        Gen.Choose(300, 699).Zip(Text).Select(StunAttribute (t) => new ErrorCodeAttribute(t.Item1, t.Item2)),
        Gen.Choose(0, 65535).Select(t => (ushort)t).ArrayOf().Select(StunAttribute (a) => new UnknownAttributesAttribute(a.Take(10))),
        Gen.Choose(0, 65535).Zip(Bytes).Select(StunAttribute (t) => new PasswordAlgorithmAttribute(new((ushort)t.Item1, t.Item2))),
        Gen.Choose(0, 65535).Zip(Bytes).ArrayOf().Select(StunAttribute (a) =>
            new PasswordAlgorithmsAttribute(a.Take(5).Select(t => new PasswordAlgorithmEntry((ushort)t.Item1, t.Item2)))),
        Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 32).Select(StunAttribute (h) => new UserHashAttribute(h)),
        // Raw: any type the codec does not know (the known ones would be decoded as typed).
        Gen.Choose(0, 65535).Where(t => !Enum.IsDefined((StunAttributeType)t)).Zip(Bytes)
            .Select(StunAttribute (t) => new RawAttribute((ushort)t.Item1, t.Item2)));

    private static readonly Gen<(StunMessage Message, byte Padding)> Messages =
        from method in Gen.Choose(0, StunMessageType.MaxMethod)
        from messageClass in Gen.Elements(Enum.GetValues<StunClass>())
        from id in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), TransactionId.SizeInBytes)
        from attributes in Attributes.ArrayOf().Select(a => a.Take(20).ToArray())
        from integrity in Gen.Elements(0, 1, 2, 3)
        from sha256Length in Gen.Elements(16, 20, 24, 28, 32)
        from fingerprint in Gen.Elements(false, true)
        from padding in Gen.Choose(0, 255).Select(b => (byte)b)
        select (new StunMessage(messageClass, (StunMethod)method, TransactionId.FromBytes(id),
            [.. attributes,
             .. (integrity & 1) != 0 ? [MessageIntegrityAttribute.Placeholder()] : Array.Empty<StunAttribute>(),
             .. (integrity & 2) != 0 ? [MessageIntegritySha256Attribute.Placeholder(sha256Length)] : Array.Empty<StunAttribute>(),
             .. fingerprint ? [FingerprintAttribute.Placeholder()] : Array.Empty<StunAttribute>()]), padding);

    [Property(MaxTest = 300)]
    public Property WriteThenReadGivesAnEqualMessageWhoseIntegrityVerifies() => Prop.ForAll(Messages.ToArbitrary(), t =>
    {
        using var key = StunKey.ShortTerm("VOkJxbRl1RmTxUk/WvJxBt");
        byte[] bytes = StunWriter.Write(t.Message, key, t.Padding);
        Assert.True(StunReader.TryRead(bytes, out var read, out var error), error?.ToString());
        var expected = t.Message.Attributes.Where(a => a is not (MessageIntegrityAttribute or MessageIntegritySha256Attribute or FingerprintAttribute));
        Assert.Equal(expected, read.Attributes.Where(a => a is not (MessageIntegrityAttribute or MessageIntegritySha256Attribute or FingerprintAttribute)));
        Assert.Equal((t.Message.Class, t.Message.Method, t.Message.TransactionId), (read.Class, read.Method, read.TransactionId));
        bool hasMi = t.Message.Get<MessageIntegrityAttribute>() is not null;
        bool hasSha = t.Message.Get<MessageIntegritySha256Attribute>() is not null;
        Assert.Equal(hasMi ? IntegrityCheck.Valid : IntegrityCheck.Absent, read.VerifyMessageIntegrity(key));
        Assert.Equal(hasSha ? IntegrityCheck.Valid : IntegrityCheck.Absent, read.VerifyMessageIntegritySha256(key, minLength: 16));
        // Re-serializing the received message (no key: MACs as received) gives the same bytes.
        Assert.Equal(bytes, StunWriter.Write(read, key: null, t.Padding));
        Assert.Equal(read, Samples.Read(StunWriter.Write(read)));
        return true;
    });

    [Property(MaxTest = 500)]
    public Property ReadingRandomBytesNeverThrows() => Prop.ForAll(
        Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().ToArbitrary(), bytes =>
        {
            StunReader.TryRead(bytes, out _, out _);
            return true;
        });

    [Property(MaxTest = 300)]
    public Property ReadingMutatedMessagesNeverThrowsAndWhatReadsReserializes() => Prop.ForAll(
        Messages.Zip(Gen.Choose(0, int.MaxValue).ArrayOf()).ToArbitrary(), t =>
        {
            byte[] bytes = StunWriter.Write(t.Item1.Message, paddingByte: t.Item1.Padding);
            int body = bytes.Length - StunLimits.HeaderSizeInBytes;
            foreach (int r in t.Item2.Take(8).Where(_ => body > 0))
            {
                bytes[StunLimits.HeaderSizeInBytes + r % body] ^= (byte)(((r >> 8) & 0xFF) | 1);
            }
            if (StunReader.TryRead(bytes, out var read, out _))
            {
                Assert.Equal(read, Samples.Read(StunWriter.Write(read)));
            }
            return true;
        });
}
