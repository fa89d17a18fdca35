using System.Security.Cryptography;
using NSec.Cryptography;
using Org.BouncyCastle.Crypto.Generators;
using BouncyCastleArgon2 = Org.BouncyCastle.Crypto.Parameters.Argon2Parameters;

namespace SecureComms.Crypto;

/// <summary>
/// Argon2id password hashing: a memory-hard function turning a password and a per-user salt (and,
/// optionally, a server secret K and associated data X) into a verifier or a key.
/// </summary>
/// <remarks>
/// <para><b>References.</b> RFC 9106 (Argon2, version 0x13): §3.1 inputs (P, S, p, T, m, t, K, X), §4
/// parameter choice, §5.3 test vector.</para>
/// <para><b>Parameters.</b> Salt <see cref="SaltSizeInBytes"/> = 16 (random per user), output
/// <see cref="MinOutputSizeInBytes"/> to <see cref="MaxOutputSizeInBytes"/> bytes, secret and associated
/// data at most <see cref="MaxSecretSizeInBytes"/> bytes, cost from <see cref="Argon2idParameters"/>.</para>
/// <para><b>Implementation.</b> One lane and no K or X: NSec
/// <see cref="PasswordBasedKeyDerivationAlgorithm.Argon2id"/> (libsodium <c>crypto_pwhash</c>), the
/// password path. Anything else (a server-side secret, associated data, several lanes): BouncyCastle
/// <see cref="Argon2BytesGenerator"/>, since libsodium's API has no K, X or p. The tests check the RFC 9106
/// vector on the second path and that both paths agree where both apply.</para>
/// <para><b>Hazards.</b> Compare verifiers only with <see cref="Verify"/>; never reuse a salt; the
/// password buffer is the caller's to wipe.</para>
/// </remarks>
public static class Argon2id
{
    /// <summary>Salt size: 128 bits.</summary>
    public const int SaltSizeInBytes = 128 / 8;

    /// <summary>Shortest output: 128 bits.</summary>
    public const int MinOutputSizeInBytes = 128 / 8;

    /// <summary>Longest output accepted: 1 KiB.</summary>
    public const int MaxOutputSizeInBytes = 1024;

    /// <summary>Longest secret K or associated data X accepted: 1 KiB.</summary>
    public const int MaxSecretSizeInBytes = 1024;

    /// <summary>Derives <paramref name="output"/> from <paramref name="password"/> and <paramref name="salt"/>
    /// (and the optional secret K and associated data X).</summary>
    public static void DeriveBytes(
        ReadOnlySpan<byte> password,
        ReadOnlySpan<byte> salt,
        Argon2idParameters parameters,
        Span<byte> output,
        ReadOnlySpan<byte> secret = default,
        ReadOnlySpan<byte> associatedData = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (salt.Length != SaltSizeInBytes)
        {
            throw new ArgumentException($"Salt must be {SaltSizeInBytes} bytes.", nameof(salt));
        }
        if (output.Length < MinOutputSizeInBytes || output.Length > MaxOutputSizeInBytes)
        {
            throw new ArgumentException($"Output must be {MinOutputSizeInBytes} to {MaxOutputSizeInBytes} bytes.", nameof(output));
        }
        if (secret.Length > MaxSecretSizeInBytes)
        {
            throw new ArgumentException($"Secret must be at most {MaxSecretSizeInBytes} bytes.", nameof(secret));
        }
        if (associatedData.Length > MaxSecretSizeInBytes)
        {
            throw new ArgumentException($"Associated data must be at most {MaxSecretSizeInBytes} bytes.", nameof(associatedData));
        }
        if (parameters.Parallelism == 1 && secret.IsEmpty && associatedData.IsEmpty)
        {
            DeriveWithLibSodium(password, salt, parameters, output);
        }
        else
        {
            DeriveWithBouncyCastle(password, salt, parameters, output, secret, associatedData);
        }
    }

    /// <summary>True when the inputs reproduce <paramref name="expected"/>, compared in fixed time.</summary>
    public static bool Verify(
        ReadOnlySpan<byte> password,
        ReadOnlySpan<byte> salt,
        Argon2idParameters parameters,
        ReadOnlySpan<byte> expected,
        ReadOnlySpan<byte> secret = default,
        ReadOnlySpan<byte> associatedData = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (expected.Length < MinOutputSizeInBytes || expected.Length > MaxOutputSizeInBytes)
        {
            return false;
        }
        // Stryker disable once Boolean : whether the array is pinned cannot be observed from a test.
        byte[] actual = GC.AllocateArray<byte>(expected.Length, pinned: true);
        try
        {
            DeriveBytes(password, salt, parameters, actual, secret, associatedData);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(actual);
        }
    }

    private static void DeriveWithLibSodium(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idParameters parameters, Span<byte> output)
    {
        var algorithm = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            DegreeOfParallelism = 1,
            MemorySize = parameters.MemoryKiB,
            NumberOfPasses = parameters.Passes,
        });
        algorithm.DeriveBytes(password, salt, output);
    }

    private static void DeriveWithBouncyCastle(
        ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2idParameters parameters,
        Span<byte> output, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> associatedData)
    {
        var builder = new BouncyCastleArgon2.Builder(BouncyCastleArgon2.Argon2id)
            .WithVersion(BouncyCastleArgon2.Version13)
            .WithMemoryAsKB(parameters.MemoryKiB)
            .WithIterations(parameters.Passes)
            .WithParallelism(parameters.Parallelism)
            .WithSalt(salt.ToArray());
        byte[] secretCopy = secret.ToArray();
        byte[] passwordCopy = password.ToArray();
        byte[] result = new byte[output.Length];
        try
        {
            if (!secret.IsEmpty)
            {
                builder.WithSecret(secretCopy);
            }
            if (!associatedData.IsEmpty)
            {
                builder.WithAdditional(associatedData.ToArray());
            }
            var generator = new Argon2BytesGenerator();
            generator.Init(builder.Build());
            generator.GenerateBytes(passwordCopy, result);
            result.CopyTo(output);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordCopy);
            CryptographicOperations.ZeroMemory(result);
            CryptographicOperations.ZeroMemory(secretCopy);
        }
    }
}
