using System.Buffers.Binary;
using SecureComms.Traversal.Stun;
using SecureComms.Traversal.Stun.Attributes;

namespace SecureComms.Traversal.Tests.WireFormat;

/// <summary>
/// <see cref="StunReader"/> refuses malformed input with the documented <see cref="StunErrorReason"/> and numbers,
/// and never throws: truncations, bad lengths, missing padding, magic cookie, leading bits, attribute bounds,
/// malformed values, integrity order.
/// </summary>
public sealed class ReaderRefusalTests
{
    private static readonly TransactionId Id = TransactionId.FromBytes(Convert.FromHexString("b7e7a701bc34d686fa87dfae"));

    private static StunError Refusal(byte[] bytes, int maxSize = StunLimits.MaxMessageSizeInBytes)
    {
        Assert.False(StunReader.TryRead(bytes, out var message, out var error, maxSize));
        Assert.Null(message);
        return error;
    }

    /// <summary>A header for <paramref name="body"/> followed by it.</summary>
    private static byte[] Message(byte[] body, ushort type = 0x0001)
    {
        var bytes = new byte[StunLimits.HeaderSizeInBytes + body.Length];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, type);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)body.Length);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), StunLimits.MagicCookie);
        Id.Bytes.CopyTo(bytes.AsSpan(8));
        body.CopyTo(bytes, StunLimits.HeaderSizeInBytes);
        return bytes;
    }

    private static byte[] Attribute(ushort type, params byte[] value)
    {
        var bytes = new byte[4 + ((value.Length + 3) & ~3)];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, type);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)value.Length);
        value.CopyTo(bytes, 4);
        return bytes;
    }

    public static TheoryData<string> Ids => Samples.Ids;

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryTruncationIsRefused(string id)
    {
        byte[] sample = Samples.Bytes(id);
        for (int length = 0; length < sample.Length; length++)
        {
            var error = Refusal(sample[..length]);
            Assert.Equal(length < StunLimits.HeaderSizeInBytes ? StunErrorReason.TooShort : StunErrorReason.LengthMismatch, error.Reason);
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryTruncationWithTheLengthFieldFixedUpIsRefused(string id)
    {
        // A truncation that also rewrites the header length, as an attacker would: the attribute walk refuses it
        // (cut inside an attribute) or MESSAGE-INTEGRITY does (cut between attributes: MI missing, or its input changed).
        byte[] sample = Samples.Bytes(id);
        using var key = Samples.Key(id);
        for (int length = StunLimits.HeaderSizeInBytes; length < sample.Length; length += 4)
        {
            byte[] cut = sample[..length];
            BinaryPrimitives.WriteUInt16BigEndian(cut.AsSpan(2), (ushort)(length - StunLimits.HeaderSizeInBytes));
            if (StunReader.TryRead(cut, out var message, out var error))
            {
                // MESSAGE-INTEGRITY does not cover the FINGERPRINT after it (§14.5), so stripping exactly the
                // FINGERPRINT leaves a valid message: the one truncation that verifies, and it loses nothing else.
                bool strippedFingerprint = length == sample.Length - 8
                    && Samples.Read(sample).Get<FingerprintAttribute>() is not null;
                Assert.Equal(strippedFingerprint, message.VerifyIntegrity(key) == IntegrityCheck.Valid);
            }
            else
            {
                Assert.True(error.Reason is StunErrorReason.AttributeTruncated or StunErrorReason.InvalidAttribute, error.ToString());
            }
        }
    }

    [Fact]
    public void HeaderChecks()
    {
        byte[] good = Message([]);
        Assert.True(StunReader.TryRead(good, out _, out _));

        byte[] leading = (byte[])good.Clone();
        leading[0] |= 0x80;
        Assert.Equal(StunErrorReason.NotStun, Refusal(leading).Reason);
        Assert.False(StunReader.LooksLikeStun(leading));

        byte[] cookie = (byte[])good.Clone();
        cookie[4] ^= 0x01;
        var cookieError = Refusal(cookie);
        Assert.Equal(StunErrorReason.BadMagicCookie, cookieError.Reason);
        Assert.Equal(0x2012A442, cookieError.Value);

        // Found by the stun-message fuzz target: a cookie with its top bit set made ToString overflow.
        byte[] highCookie = (byte[])good.Clone();
        highCookie[4] = 0xDE;
        var highCookieError = Refusal(highCookie);
        Assert.Equal("bad magic cookie 0xde12a442", highCookieError.ToString());

        byte[] misaligned = Message([0, 0, 0, 0, 0, 0]);
        var misalignedError = Refusal(misaligned);
        Assert.Equal(StunErrorReason.MisalignedLength, misalignedError.Reason);
        Assert.Equal(6, misalignedError.Value);

        byte[] longer = Message(Attribute(0x8022, (byte)'a'));
        BinaryPrimitives.WriteUInt16BigEndian(longer.AsSpan(2), 12);
        var longerError = Refusal(longer);
        Assert.Equal(StunErrorReason.LengthMismatch, longerError.Reason);
        Assert.Equal((12, 8), (longerError.Value, longerError.Limit));
    }

    [Fact]
    public void SizeBound()
    {
        byte[] sample = Samples.Bytes(Samples.Request);
        var error = Refusal(sample, maxSize: sample.Length - 1);
        Assert.Equal((StunErrorReason.TooLarge, sample.Length, sample.Length - 1), (error.Reason, error.Value, error.Limit));
        Assert.True(StunReader.TryRead(sample, out _, out _, maxSizeInBytes: sample.Length));
        Assert.Throws<ArgumentOutOfRangeException>(() => StunReader.TryRead(sample, out _, out _, maxSizeInBytes: 19));
    }

    [Fact]
    public void AttributeRunningPastTheEndOrMissingItsPadding()
    {
        // SOFTWARE declares 5 bytes: with its padding it needs 12 bytes, only 8 are there.
        byte[] body = [0x80, 0x22, 0x00, 0x05, (byte)'a', (byte)'b', (byte)'c', (byte)'d'];
        var error = Refusal(Message(body));
        Assert.Equal((StunErrorReason.AttributeTruncated, 20, 12, 8), (error.Reason, error.Offset, error.Value, error.Limit));
        // Declared 4, exactly present: accepted.
        body[3] = 4;
        Assert.True(StunReader.TryRead(Message(body), out _, out _));
    }

    [Fact]
    public void PaddingContentIsIgnored()
    {
        byte[] a = Message(Attribute(0x8022, (byte)'a'));
        byte[] b = (byte[])a.Clone();
        b[^1] = 0xFF;
        b[^2] = 0x20;
        Assert.True(StunReader.TryRead(a, out var first, out _));
        Assert.True(StunReader.TryRead(b, out var second, out _));
        Assert.Equal(first, second);
    }

    [Fact]
    public void AttributeCountBound()
    {
        byte[] body = [.. Enumerable.Range(0, StunLimits.MaxAttributes).SelectMany(_ => Attribute(0x8030))];
        Assert.True(StunReader.TryRead(Message(body), out var message, out _));
        Assert.Equal(StunLimits.MaxAttributes, message.Attributes.Count);
        var error = Refusal(Message([.. body, .. Attribute(0x8030)]));
        Assert.Equal((StunErrorReason.TooManyAttributes, StunLimits.MaxAttributes + 1, StunLimits.MaxAttributes),
            (error.Reason, error.Value, error.Limit));
    }

    public static TheoryData<ushort, byte[]> MalformedValues => new()
    {
        { 0x0001, [0, 0x01, 0, 1, 1, 2, 3] },                    // MAPPED-ADDRESS IPv4 one byte short
        { 0x0020, [0, 0x03, 0, 1, 1, 2, 3, 4] },                 // XOR-MAPPED-ADDRESS unknown family
        { 0x0020, [0, 0x02, 0, 1, 1, 2, 3, 4] },                 // IPv6 family with an IPv4-sized value
        { 0x8023, [] },                                          // ALTERNATE-SERVER empty
        { 0x0008, new byte[19] },                                // MESSAGE-INTEGRITY not 20 bytes
        { 0x001C, new byte[12] },                                // MESSAGE-INTEGRITY-SHA256 under 16 bytes
        { 0x001C, new byte[18] },                                // ... not a multiple of 4
        { 0x001C, new byte[36] },                                // ... over 32 bytes
        { 0x8028, new byte[8] },                                 // FINGERPRINT not 4 bytes
        { 0x001E, new byte[31] },                                // USERHASH not 32 bytes
        { 0x0009, [0, 0, 2, 0] },                                // ERROR-CODE class 2
        { 0x0009, [0, 0, 4, 100] },                              // ERROR-CODE number 100
        { 0x0009, [0, 0, 4] },                                   // ERROR-CODE too short
        { 0x000A, [0, 1, 0] },                                   // UNKNOWN-ATTRIBUTES odd length
        { 0x8022, [0xC3, 0x28] },                                // SOFTWARE invalid UTF-8
        { 0x0006, [0xED, 0xA0, 0x80] },                          // USERNAME encoded surrogate
        { 0x0014, [.. Enumerable.Repeat((byte)'r', 128)] },      // REALM of 128 characters
        { 0x0015, [.. Enumerable.Range(0, 255).SelectMany(_ => "\u20AC"u8.ToArray())] }, // NONCE of 765 bytes
        { 0x0006, new byte[509] },                               // USERNAME of 509 bytes
        { 0x001D, [0, 1, 0, 4] },                                // PASSWORD-ALGORITHM parameters missing
        { 0x8002, [0, 1, 0, 0, 0, 2] },                          // PASSWORD-ALGORITHMS cut inside an entry
    };

    [Theory]
    [MemberData(nameof(MalformedValues))]
    public void MalformedKnownAttributeValues(ushort type, byte[] value)
    {
        byte[] bytes = Message(Attribute(type, value));
        var error = Refusal(bytes);
        Assert.Equal((StunErrorReason.InvalidAttribute, 20, (int)type), (error.Reason, error.Offset, error.Value));
    }

    [Fact]
    public void TextBoundsAreInclusiveAtTheirLimits()
    {
        Assert.True(StunReader.TryRead(Message(Attribute(0x0014, [.. Enumerable.Repeat((byte)'r', 127)])), out _, out _));
        Assert.True(StunReader.TryRead(Message(Attribute(0x0006, new byte[508])), out _, out _));
        // 127 three-byte characters: 381 bytes, within both bounds.
        Assert.True(StunReader.TryRead(Message(Attribute(0x0015, [.. Enumerable.Range(0, 127).SelectMany(_ => "\u20AC"u8.ToArray())])), out _, out _));
        // 128 two-byte characters are under 763 bytes but over 127 characters.
        Assert.Equal(StunErrorReason.InvalidAttribute,
            Refusal(Message(Attribute(0x8022, [.. Enumerable.Range(0, 128).SelectMany(_ => "\u00E9"u8.ToArray())]))).Reason);
    }

    public static TheoryData<ushort[]> BadIntegrityOrders => new()
    {
        new ushort[] { 0x0008, 0x8022 },          // SOFTWARE after MESSAGE-INTEGRITY
        new ushort[] { 0x0008, 0x0008 },          // two MESSAGE-INTEGRITY
        new ushort[] { 0x001C, 0x0008 },          // MESSAGE-INTEGRITY after MESSAGE-INTEGRITY-SHA256
        new ushort[] { 0x001C, 0x8030 },          // unknown optional attribute after MESSAGE-INTEGRITY-SHA256
        new ushort[] { 0x0008, 0x001C, 0x001C },  // two MESSAGE-INTEGRITY-SHA256
    };

    [Theory]
    [MemberData(nameof(BadIntegrityOrders))]
    public void AttributesAfterIntegrityAreRefused(ushort[] types)
    {
        byte[] body = [.. types.SelectMany(t => Attribute(t, t switch { 0x0008 => new byte[20], 0x001C => new byte[32], _ => [] }))];
        Assert.Equal(StunErrorReason.AttributeAfterIntegrity, Refusal(Message(body)).Reason);
    }

    [Fact]
    public void NothingFollowsFingerprint()
    {
        var message = new StunMessage(StunClass.Request, StunMethod.Binding, Id, [FingerprintAttribute.Placeholder()]);
        byte[] bytes = StunWriter.Write(message);
        Assert.True(StunReader.TryRead(bytes, out _, out _));
        byte[] extended = Message([.. bytes.AsSpan(20).ToArray(), .. Attribute(0x8030)]);
        var error = Refusal(extended);
        Assert.Equal((StunErrorReason.AttributeAfterIntegrity, 28, 0x8030), (error.Reason, error.Offset, error.Value));
    }

    [Fact]
    public void UnknownAttributesAreKeptRawInOrder()
    {
        byte[] body = [.. Attribute(0x0024, 1, 2, 3, 4), .. Attribute(0xC001, 9), .. Attribute(0x0024, 5)];
        Assert.True(StunReader.TryRead(Message(body), out var message, out _));
        var raw = message.Attributes.Cast<RawAttribute>().ToArray();
        Assert.Equal([0x0024, 0xC001, 0x0024], raw.Select(a => (int)a.Type));
        Assert.Equal([1, 2, 3, 4], raw[0].Value.ToArray());
        Assert.Equal([(ushort)0x0024], message.UnknownComprehensionRequired);
        Assert.False(raw[1].IsComprehensionRequired);
    }

    [Fact]
    public void ErrorMessagesCarryNumbersNotContents()
    {
        var error = Refusal(Message(Attribute(0x0006, [0xC3, 0x28])));
        Assert.Equal("malformed attribute 0x0006 at offset 20", error.ToString());
    }
}
