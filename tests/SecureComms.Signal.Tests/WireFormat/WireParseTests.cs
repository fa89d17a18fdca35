using Google.Protobuf;
using SecureComms.Signal.Wire;

namespace SecureComms.Signal.Tests.WireFormat;

/// <summary>The wire parsers' bounds and required fields: each refusal typed, with its numbers.</summary>
public sealed class WireParseTests
{
    private static readonly byte[] Key = [IdentityKey.DjbType, .. Enumerable.Repeat((byte)9, 1), .. new byte[31]];

    [Fact]
    public void SignalMessage_size_bounds_carry_the_length_and_the_limit()
    {
        var tooShort = Assert.Throws<SignalProtocolException>(() => SignalMessage.Parse(new byte[8]));
        Assert.Equal((SignalError.InvalidMessage, 8L, 9L), (tooShort.Reason, tooShort.Value, tooShort.Limit));

        // Exactly the minimum passes the size check and fails later, on its missing fields.
        byte[] minimum = [MessageVersion.EmittedByte, .. new byte[SignalMessage.MacSizeInBytes]];
        var empty = Assert.Throws<SignalProtocolException>(() => SignalMessage.Parse(minimum));
        Assert.Equal(SignalError.InvalidMessage, empty.Reason);
        Assert.Null(empty.Limit);

        byte[] largest = new byte[SignalMessage.MaxSizeInBytes];
        largest[0] = MessageVersion.EmittedByte;
        Assert.Null(Assert.Throws<SignalProtocolException>(() => SignalMessage.Parse(largest)).Limit); // size accepted, body refused

        byte[] tooLong = new byte[SignalMessage.MaxSizeInBytes + 1];
        tooLong[0] = MessageVersion.EmittedByte;
        var large = Assert.Throws<SignalProtocolException>(() => SignalMessage.Parse(tooLong));
        Assert.Equal((SignalError.InvalidMessage, (long)tooLong.Length, (long)SignalMessage.MaxSizeInBytes), (large.Reason, large.Value, large.Limit));
    }

    [Theory]
    [InlineData("ratchet_key")]
    [InlineData("counter")]
    [InlineData("ciphertext")]
    public void A_SignalMessage_missing_any_required_field_is_refused(string missing)
    {
        var body = new Proto.SignalMessage { RatchetKey = ByteString.CopyFrom(Key), Counter = 1, PreviousCounter = 0, Ciphertext = ByteString.CopyFrom(new byte[16]) };
        switch (missing)
        {
            case "ratchet_key": body.ClearRatchetKey(); break;
            case "counter": body.ClearCounter(); break;
            case "ciphertext": body.ClearCiphertext(); break;
        }
        byte[] wire = [MessageVersion.EmittedByte, .. body.ToByteArray(), .. new byte[SignalMessage.MacSizeInBytes]];
        Assert.Equal(SignalError.InvalidMessage, Assert.Throws<SignalProtocolException>(() => SignalMessage.Parse(wire)).Reason);

        body = new Proto.SignalMessage { RatchetKey = ByteString.CopyFrom(Key), Counter = 1, Ciphertext = ByteString.CopyFrom(new byte[16]) };
        Assert.Equal(1u, SignalMessage.Parse([MessageVersion.EmittedByte, .. body.ToByteArray(), .. new byte[8]]).Counter); // complete: parses
    }

    [Theory]
    [InlineData("base_key")]
    [InlineData("identity_key")]
    [InlineData("message")]
    [InlineData("signed_pre_key_id")]
    public void A_PreKeySignalMessage_missing_any_required_field_is_refused(string missing)
    {
        var inner = new Proto.SignalMessage { RatchetKey = ByteString.CopyFrom(Key), Counter = 0, Ciphertext = ByteString.CopyFrom(new byte[16]) };
        byte[] innerWire = [MessageVersion.EmittedByte, .. inner.ToByteArray(), .. new byte[8]];
        var body = new Proto.PreKeySignalMessage
        {
            BaseKey = ByteString.CopyFrom(Key),
            IdentityKey = ByteString.CopyFrom(Key),
            Message = ByteString.CopyFrom(innerWire),
            SignedPreKeyId = 3,
        };
        Assert.Equal(3u, PreKeySignalMessage.Parse([MessageVersion.EmittedByte, .. body.ToByteArray()]).SignedPreKeyId);
        switch (missing)
        {
            case "base_key": body.ClearBaseKey(); break;
            case "identity_key": body.ClearIdentityKey(); break;
            case "message": body.ClearMessage(); break;
            case "signed_pre_key_id": body.ClearSignedPreKeyId(); break;
        }
        byte[] wire = [MessageVersion.EmittedByte, .. body.ToByteArray()];
        Assert.Equal(SignalError.InvalidMessage, Assert.Throws<SignalProtocolException>(() => PreKeySignalMessage.Parse(wire)).Reason);
    }

    [Fact]
    public void A_PreKeySignalMessage_over_the_size_bound_is_refused_with_its_numbers()
    {
        byte[] largest = new byte[SignalMessage.MaxSizeInBytes];
        largest[0] = MessageVersion.EmittedByte;
        Assert.Null(Assert.Throws<SignalProtocolException>(() => PreKeySignalMessage.Parse(largest)).Limit);

        byte[] tooLong = new byte[SignalMessage.MaxSizeInBytes + 1];
        tooLong[0] = MessageVersion.EmittedByte;
        var refused = Assert.Throws<SignalProtocolException>(() => PreKeySignalMessage.Parse(tooLong));
        Assert.Equal(((long)tooLong.Length, (long)SignalMessage.MaxSizeInBytes), (refused.Value, refused.Limit));
        Assert.Equal(SignalError.InvalidMessage, Assert.Throws<SignalProtocolException>(() => PreKeySignalMessage.Parse([])).Reason);
    }

    [Theory]
    [InlineData(0x23, SignalError.LegacyVersion, 2)]
    [InlineData(0x43, SignalError.UnknownVersion, 4)]
    [InlineData(0xF3, SignalError.UnknownVersion, 15)]
    [InlineData(0x30, null, 0)]
    [InlineData(0x3F, null, 0)]
    public void Only_the_high_nibble_of_the_version_byte_counts(byte versionByte, SignalError? reason, int version)
    {
        if (reason is null)
        {
            MessageVersion.Check(versionByte);
            return;
        }
        var refused = Assert.Throws<SignalProtocolException>(() => MessageVersion.Check(versionByte));
        Assert.Equal((reason.Value, (long)version, 3L), (refused.Reason, refused.Value, refused.Limit));
    }
}
