using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SecureComms.Crypto;

namespace SecureComms.Server.Accounts;

/// <summary>
/// Password verifiers: Argon2id (RFC 9106) over the password's UTF-8 bytes with a 16-byte random salt per
/// verifier, encoded with its parameters in the PHC string format, so that costs can be raised later and old
/// verifiers still checked (and rehashed at the next sign-in, <see cref="Verify"/>'s <c>needsRehash</c>).
/// </summary>
/// <remarks>
/// <para><b>Format.</b> <c>$argon2id$v=19$m=&lt;KiB&gt;,t=&lt;passes&gt;,p=&lt;lanes&gt;$&lt;salt&gt;$&lt;hash&gt;</c>,
/// salt and 32-byte hash in unpadded standard base64 (the PHC string format, as libsodium and the reference
/// implementation write it).</para>
/// <para><b>Default parameters.</b> <see cref="Argon2idParameters.OwaspMinimum"/> (19 MiB, t = 2, p = 1), not
/// <see cref="Argon2idParameters.Moderate"/> (256 MiB, t = 3): a server verifies passwords online, for anyone
/// who asks; every concurrent sign-in attempt holds the memory cost, so 256 MiB would let a few dozen
/// parallel attempts exhaust the host (a denial of service), while 19 MiB with t = 2 is OWASP's floor for
/// Argon2id and stays memory-hard for an attacker who steals the database. The verifier records its
/// parameters, so a deployment with memory to spare raises them and verifiers are upgraded at sign-in.</para>
/// <para><b>Unknown users.</b> <see cref="VerifyDummy"/> runs the same derivation against a verifier made at
/// construction for a random password, so that sign-in for an unknown user costs what a wrong password costs.
/// <see cref="Derivations"/> counts derivations, which lets tests (and metrics) see that it happened.</para>
/// <para><b>Hazards.</b> No Unicode normalization (the build is globalization-invariant): clients should
/// send passwords in NFC. Passwords that are not valid UTF-16 (lone surrogates) never verify, so two inputs
/// cannot collide through replacement characters. The UTF-8 copy is pinned and wiped; the caller's string
/// cannot be wiped (.NET strings are immutable).</para>
/// </remarks>
public sealed class PasswordVerifier
{
    /// <summary>Argon2id output length: 256 bits.</summary>
    public const int HashSizeInBytes = 32;

    /// <summary>The Argon2 version written and accepted: 0x13 = 19 (RFC 9106 §3.1).</summary>
    public const int Argon2Version = 0x13;

    private const string Prefix = "$argon2id$v=19$";
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string _dummyVerifier;
    private long _derivations;

    /// <summary>Creates a verifier service hashing with <paramref name="parameters"/> (default
    /// <see cref="DefaultParameters"/>).</summary>
    public PasswordVerifier(Argon2idParameters? parameters = null)
    {
        Parameters = parameters ?? DefaultParameters;
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        _dummyVerifier = Hash(Convert.ToBase64String(random));
        CryptographicOperations.ZeroMemory(random);
    }

    /// <summary>The production parameters: <see cref="Argon2idParameters.OwaspMinimum"/> (see remarks for why).</summary>
    public static Argon2idParameters DefaultParameters => Argon2idParameters.OwaspMinimum;

    /// <summary>The parameters new verifiers are made with.</summary>
    public Argon2idParameters Parameters { get; }

    /// <summary>How many Argon2id derivations this instance has run (hashing, verifying, dummies).</summary>
    public long Derivations => Interlocked.Read(ref _derivations);

    /// <summary>A new verifier for <paramref name="password"/>, with a fresh random salt.</summary>
    /// <exception cref="ArgumentException">The password is not valid UTF-16.</exception>
    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        byte[] salt = new byte[Argon2id.SaltSizeInBytes];
        RandomNumberGenerator.Fill(salt);
        byte[] hash = new byte[HashSizeInBytes];
        byte[] utf8 = Utf8(password) ?? throw new ArgumentException("The password is not valid UTF-16.", nameof(password));
        try
        {
            Derive(utf8, salt, Parameters, hash);
            return string.Create(CultureInfo.InvariantCulture,
                $"{Prefix}m={Parameters.MemoryKiB},t={Parameters.Passes},p={Parameters.Parallelism}${Unpadded(salt)}${Unpadded(hash)}");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8);
            CryptographicOperations.ZeroMemory(hash);
        }
    }

    /// <summary>
    /// Whether <paramref name="password"/> matches <paramref name="verifier"/>, compared in fixed time;
    /// <paramref name="needsRehash"/> is true when it matches but was made with other parameters than
    /// <see cref="Parameters"/>.
    /// </summary>
    /// <exception cref="FormatException">The stored verifier is malformed (a corrupt row: loud, not a silent refusal).</exception>
    public bool Verify(string password, string verifier, out bool needsRehash)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(verifier);
        needsRehash = false;
        (Argon2idParameters parameters, byte[] salt, byte[] expected) = Parse(verifier);
        byte[]? utf8 = Utf8(password);
        byte[] actual = new byte[expected.Length];
        try
        {
            // Invalid UTF-16 still costs one derivation (over nothing), then fails.
            Derive(utf8 ?? [], salt, parameters, actual);
            bool match = FixedTime.Equals(actual, expected) && utf8 is not null;
            needsRehash = match && !SameCost(parameters, Parameters);
            return match;
        }
        finally
        {
            if (utf8 is not null)
            {
                CryptographicOperations.ZeroMemory(utf8);
            }
            CryptographicOperations.ZeroMemory(actual);
        }
    }

    /// <summary>Does the work of a <see cref="Verify"/> with the current parameters and always fails: for
    /// unknown users and malformed input, so that they cost what a wrong password costs.</summary>
    public void VerifyDummy(string? password) => Verify(password ?? string.Empty, _dummyVerifier, out _);

    private void Derive(byte[] password, byte[] salt, Argon2idParameters parameters, byte[] output)
    {
        Interlocked.Increment(ref _derivations);
        Argon2id.DeriveBytes(password, salt, parameters, output);
    }

    private static bool SameCost(Argon2idParameters a, Argon2idParameters b) =>
        a.MemoryKiB == b.MemoryKiB && a.Passes == b.Passes && a.Parallelism == b.Parallelism;

    /// <summary>The password's UTF-8 bytes in a pinned array the caller wipes; null when not valid UTF-16.</summary>
    private static byte[]? Utf8(string password)
    {
        int length;
        try
        {
            length = StrictUtf8.GetByteCount(password);
        }
        catch (EncoderFallbackException)
        {
            return null;
        }
        byte[] bytes = GC.AllocateArray<byte>(length, pinned: true);
        StrictUtf8.GetBytes(password, bytes);
        return bytes;
    }

    private static (Argon2idParameters Parameters, byte[] Salt, byte[] Hash) Parse(string verifier)
    {
        // $argon2id$v=19$m=…,t=…,p=…$salt$hash
        string[] parts = verifier.Split('$');
        if (parts.Length != 6 || parts[0].Length != 0 || parts[1] != "argon2id" || parts[2] != "v=19")
        {
            throw new FormatException("Not an Argon2id (v=19) PHC verifier.");
        }
        string[] costs = parts[3].Split(',');
        if (costs.Length != 3
            || !TryCost(costs[0], "m=", out int memory) || !TryCost(costs[1], "t=", out int passes) || !TryCost(costs[2], "p=", out int lanes))
        {
            throw new FormatException("Malformed Argon2id parameters in a verifier.");
        }
        Argon2idParameters parameters;
        try
        {
            parameters = new Argon2idParameters($"m={memory},t={passes},p={lanes}", memory, passes, lanes);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new FormatException("Argon2id parameters out of range in a verifier.", e);
        }
        byte[] salt = FromUnpadded(parts[4]);
        byte[] hash = FromUnpadded(parts[5]);
        if (salt.Length != Argon2id.SaltSizeInBytes || hash.Length < Argon2id.MinOutputSizeInBytes || hash.Length > Argon2id.MaxOutputSizeInBytes)
        {
            throw new FormatException("Malformed salt or hash in a verifier.");
        }
        return (parameters, salt, hash);
    }

    private static bool TryCost(string text, string name, out int value)
    {
        value = 0;
        return text.StartsWith(name, StringComparison.Ordinal) // public data: the PHC field names
            && text.Length > name.Length && text.Length <= name.Length + 10
            && text.AsSpan(name.Length).IndexOfAnyExceptInRange('0', '9') < 0
            && int.TryParse(text.AsSpan(name.Length), NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static string Unpadded(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] FromUnpadded(string text)
    {
        int padding = (4 - (text.Length % 4)) % 4;
        if (padding == 3 || text.Contains('=', StringComparison.Ordinal))
        {
            throw new FormatException("Malformed base64 in a verifier.");
        }
        return Convert.FromBase64String(text + new string('=', padding));
    }
}
