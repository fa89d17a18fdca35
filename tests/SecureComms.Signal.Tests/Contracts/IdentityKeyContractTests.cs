using SecureComms.Crypto;

namespace SecureComms.Signal.Tests.Contracts;

/// <summary><see cref="IdentityKey"/>: libsignal's 0x05 ‖ u serialization, total on input.</summary>
public sealed class IdentityKeyContractTests
{
    [Fact]
    public void Serialize_prefixes_the_type_byte_and_deserialize_inverts_it()
    {
        using var key = X25519PrivateKey.Generate();
        byte[] serialized = new IdentityKey(key.PublicKey).Serialize();
        Assert.Equal(IdentityKey.SerializedSizeInBytes, serialized.Length);
        Assert.Equal(0x05, serialized[0]);
        Assert.True(key.PublicKey.Bytes.SequenceEqual(serialized.AsSpan(1)));
        Assert.True(IdentityKey.TryDeserialize(serialized, out var parsed));
        Assert.Equal(new IdentityKey(key.PublicKey), parsed);
    }

    [Theory]
    [InlineData(0, 0x05)]
    [InlineData(32, 0x05)]
    [InlineData(34, 0x05)]
    [InlineData(33, 0x04)]
    [InlineData(33, 0x08)]
    public void Deserialize_refuses_any_other_length_or_type_byte(int length, byte type)
    {
        var bytes = new byte[length];
        if (length > 0)
        {
            bytes[0] = type;
        }
        Assert.False(IdentityKey.TryDeserialize(bytes, out var key));
        Assert.Null(key);
    }
}
