using System.Runtime.InteropServices;

namespace SecureComms.Crypto;

/// <summary>
/// The few libsodium functions NSec does not expose: raw X25519 output (for X3DH and Noise, which feed the
/// DH output itself into their KDFs) and the ed25519 scalar and group operations that XEdDSA is built from.
/// </summary>
/// <remarks>
/// References: libsodium documentation, "Point*scalar multiplication" and "Finite field arithmetic".
/// The library is the one NSec ships (NuGet package <c>libsodium</c>). Every function here returns 0 on
/// success and -1 on failure (for example an all-zero X25519 result); callers turn -1 into a named error.
/// Arguments are passed by reference to the first byte of fixed-size spans, checked by the callers.
/// </remarks>
internal static class LibSodium
{
    private const string Library = "libsodium";

    /// <summary>crypto_scalarmult_curve25519_BYTES and _SCALARBYTES.</summary>
    internal const int X25519Bytes = 32;

    /// <summary>crypto_core_ed25519_BYTES (compressed point), _SCALARBYTES and _NONREDUCEDSCALARBYTES.</summary>
    internal const int Ed25519PointBytes = 32, Ed25519ScalarBytes = 32, Ed25519NonReducedScalarBytes = 64;

    // Stryker disable all : sodium_init only selects faster implementations and seeds randombytes (the functions
    // here work without it), and its failure branch is unreachable in a test: no test can tell these mutants apart.
    static LibSodium()
    {
        if (sodium_init() < 0)
        {
            throw new InvalidOperationException("libsodium could not be initialised.");
        }
    }
    // Stryker restore all

    /// <summary>Forces the static constructor (sodium_init) to have run.</summary>
    internal static void EnsureInitialized() { }

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int sodium_init();

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int crypto_scalarmult_curve25519(ref byte q, in byte n, in byte p);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int crypto_scalarmult_curve25519_base(ref byte q, in byte n);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int crypto_scalarmult_ed25519_base_noclamp(ref byte q, in byte n);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern void crypto_core_ed25519_scalar_reduce(ref byte r, in byte s);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern void crypto_core_ed25519_scalar_negate(ref byte neg, in byte s);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern void crypto_core_ed25519_scalar_mul(ref byte z, in byte x, in byte y);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern void crypto_core_ed25519_scalar_add(ref byte z, in byte x, in byte y);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    internal static extern int crypto_sign_ed25519_verify_detached(in byte sig, in byte m, ulong mlen, in byte pk);
}
