using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SecureComms.Crypto.Tests.Contracts;

namespace SecureComms.Crypto.Tests.Properties;

/// <summary>
/// Every secret-holding type (<see cref="SecretKinds"/>) with arbitrary key bytes: no rendering of the bytes
/// reaches <see cref="object.ToString"/> (STYLE.md §10), and once disposed every use throws.
/// </summary>
public sealed class SecretProperties
{
    [Property(MaxTest = 200)]
    public Property ToString_never_contains_the_key_bytes() => Prop.ForAll(CryptoGen.Secret, input =>
    {
        using var secret = input.Kind.Import(input.Bytes, true);
        return !TestBytes.Reveals(secret.ToString()!, input.Bytes);
    });

    [Property(MaxTest = 100)]
    public Property Every_use_after_dispose_throws_ObjectDisposedException() => Prop.ForAll(CryptoGen.Secret, input =>
    {
        var secret = input.Kind.Import(input.Bytes, true);
        secret.Dispose();
        Assert.Throws<ObjectDisposedException>(() => input.Kind.Use(secret));
        if (input.Kind.Export is { } export)
        {
            Assert.Throws<ObjectDisposedException>(() => export(secret, new byte[input.Kind.SizeInBytes]));
        }
    });
}
