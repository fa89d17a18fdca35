using FsCheck;
using FsCheck.Fluent;
using SecureComms.Crypto.Tests.Contracts;

namespace SecureComms.Crypto.Tests.Properties;

/// <summary>An AEAD input: key, nonce (96-bit half the time, else 1 to 64 bytes), plaintext and associated data.</summary>
internal sealed record AeadInput(byte[] Key, byte[] Nonce, byte[] Plaintext, byte[] AssociatedData)
{
    public override string ToString() =>
        $"key={Hex(Key)} nonce={Hex(Nonce)} plaintext={Hex(Plaintext)} ad={Hex(AssociatedData)}";

    private static string Hex(byte[] value) => Convert.ToHexStringLower(value);
}

/// <summary>Inputs plus the index of one bit to flip in whatever the property tampers with.</summary>
internal sealed record Tampered<T>(T Input, int Bit);

/// <summary>A secret-holding type and bytes of its size.</summary>
internal sealed record SecretInput(SecretKind Kind, byte[] Bytes)
{
    public override string ToString() => $"{Kind.Name}: {Convert.ToHexStringLower(Bytes)}";
}

/// <summary>A key (seed or scalar), a message and 64 bytes of Z, for the signature schemes.</summary>
internal sealed record SignatureInput(byte[] Key, byte[] Message, byte[] Random)
{
    public override string ToString() =>
        $"key={Convert.ToHexStringLower(Key)} message={Convert.ToHexStringLower(Message)} z={Convert.ToHexStringLower(Random)}";
}

/// <summary>The generators every property draws from. Lengths are bounded so a run stays well under a second.</summary>
internal static class CryptoGen
{
    public static readonly Gen<byte> Byte = Gen.Choose(0, 255).Select(i => (byte)i);

    public static Gen<byte[]> Bytes(int length) => Gen.ArrayOf(Byte, length);

    public static Gen<byte[]> BytesUpTo(int maxLength) => Gen.Choose(0, maxLength).SelectMany(Bytes);

    public static Gen<byte[]> Nonce =>
        Gen.OneOf(Gen.Constant(Aes256Gcm.NonceSizeInBytes), Gen.Choose(1, 64)).SelectMany(Bytes);

    public static Arbitrary<AeadInput> Aead =>
        (from key in Bytes(Aes256Gcm.KeySizeInBytes)
         from nonce in Nonce
         from plaintext in BytesUpTo(100)
         from associatedData in BytesUpTo(40)
         select new AeadInput(key, nonce, plaintext, associatedData)).ToArbitrary();

    public static Arbitrary<SecretInput> Secret =>
        (from kind in Gen.Elements<SecretKind>(SecretKinds.All)
         from bytes in Bytes(kind.SizeInBytes)
         select new SecretInput(kind, bytes)).ToArbitrary();

    public static Arbitrary<SignatureInput> Signature =>
        (from key in Bytes(32)
         from message in BytesUpTo(100)
         from random in Bytes(XEdDsa.RandomSizeInBytes)
         select new SignatureInput(key, message, random)).ToArbitrary();

    /// <summary>Pairs each input with a bit index below <paramref name="bitCount"/> of that input.</summary>
    public static Arbitrary<Tampered<T>> WithBit<T>(Arbitrary<T> inputs, Func<T, int> bitCount) =>
        (from input in inputs.Generator
         from bit in Gen.Choose(0, bitCount(input) - 1)
         select new Tampered<T>(input, bit)).ToArbitrary();
}
