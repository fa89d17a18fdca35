namespace SecureComms.Crypto;

/// <summary>
/// Argon2id cost parameters (RFC 9106 §3.1): memory m in KiB, passes t, lanes p, with the named sets a
/// deployment chooses from.
/// </summary>
/// <remarks>
/// Record the set with every stored verifier, so that costs can be raised later and old verifiers still
/// checked. The values are the libsodium <c>crypto_pwhash_*LIMIT_*</c> constants and OWASP's minimum.
/// </remarks>
public sealed record Argon2idParameters
{
    /// <summary>Smallest memory cost per lane: 8 KiB (RFC 9106 §3.1: m ≥ 8p).</summary>
    public const int MinMemoryKiB = 8;

    /// <summary>Largest memory cost accepted: 4 GiB.</summary>
    public const int MaxMemoryKiB = 4 * 1024 * 1024;

    /// <summary>Largest number of passes accepted.</summary>
    public const int MaxPasses = 64;

    /// <summary>Largest degree of parallelism accepted.</summary>
    public const int MaxParallelism = 16;

    /// <summary>Creates a parameter set.</summary>
    public Argon2idParameters(string name, int memoryKiB, int passes, int parallelism = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parallelism, MaxParallelism);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(memoryKiB, MinMemoryKiB * parallelism);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(memoryKiB, MaxMemoryKiB);
        ArgumentOutOfRangeException.ThrowIfLessThan(passes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(passes, MaxPasses);
        Name = name;
        MemoryKiB = memoryKiB;
        Passes = passes;
        Parallelism = parallelism;
    }

    /// <summary>libsodium OPSLIMIT/MEMLIMIT_INTERACTIVE: 64 MiB, 2 passes (online sign-in).</summary>
    public static Argon2idParameters Interactive { get; } = new("interactive", 64 * 1024, 2);

    /// <summary>libsodium OPSLIMIT/MEMLIMIT_MODERATE: 256 MiB, 3 passes.</summary>
    public static Argon2idParameters Moderate { get; } = new("moderate", 256 * 1024, 3);

    /// <summary>libsodium OPSLIMIT/MEMLIMIT_SENSITIVE: 1 GiB, 4 passes (offline secrets).</summary>
    public static Argon2idParameters Sensitive { get; } = new("sensitive", 1024 * 1024, 4);

    /// <summary>OWASP Password Storage Cheat Sheet minimum for Argon2id: 19 MiB, 2 passes, 1 lane.</summary>
    public static Argon2idParameters OwaspMinimum { get; } = new("owasp-minimum", 19 * 1024, 2);

    /// <summary>Name of the set, stored beside verifiers.</summary>
    public string Name { get; }

    /// <summary>Memory cost m in KiB.</summary>
    public int MemoryKiB { get; }

    /// <summary>Number of passes t.</summary>
    public int Passes { get; }

    /// <summary>Degree of parallelism p (lanes).</summary>
    public int Parallelism { get; }
}
