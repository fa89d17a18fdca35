using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace SecureComms.Crypto;

/// <summary>
/// XEdDSA: EdDSA-compatible signatures made and checked with X25519 (Montgomery) key pairs, as Signal signs
/// with its X25519 identity keys.
/// </summary>
/// <remarks>
/// <para><b>References.</b> Trevor Perrin, "The XEdDSA and VXEdDSA Signature Schemes", revision 1
/// (2016-10-20): §2.2 convert_mont, §2.3 calculate_key_pair and xeddsa_sign, §2.4 xeddsa_verify.</para>
/// <para><b>Formula.</b> calculate_key_pair(k): E = kB; A = E with sign bit 0; a = −k mod q if E.s = 1 else
/// k mod q. Sign: r = hash1(a ‖ M ‖ Z) mod q; R = rB; h = SHA-512(R ‖ A ‖ M) mod q; s = r + h·a mod q;
/// signature = R ‖ s, where hash1(X) = SHA-512(0xFE ‖ 0xFF × 31 ‖ X) and Z is 64 fresh random bytes.</para>
/// <para><b>Interoperability.</b> libsignal signs without negating a and stores E's sign bit in the top bit
/// of s (bit 511, always zero in a spec signature since s &lt; 2^253). <see cref="Verify"/> therefore takes
/// the sign of A from that bit and clears it before the Ed25519 check: spec signatures and libsignal's
/// both verify.</para>
/// <para><b>Parameters.</b> Keys 32 bytes, Z <see cref="RandomSizeInBytes"/> = 64, signature
/// <see cref="SignatureSizeInBytes"/> = 64.</para>
/// <para><b>Implementation (glue only).</b> Group and scalar operations: libsodium
/// (<c>crypto_scalarmult_ed25519_base_noclamp</c>, <c>crypto_core_ed25519_scalar_*</c>); the birational map
/// u ↦ y = (u − 1)/(u + 1) uses BouncyCastle's <see cref="X25519Field"/>; the final check is libsodium's
/// <c>crypto_sign_ed25519_verify_detached</c> (rejects s ≥ q, small-order and non-canonical points).</para>
/// <para><b>Hazards.</b> Z must be fresh random for every signature (it hides the nonce if the hash is
/// weak and protects against fault attacks); the secret sign selection is done without branching.</para>
/// </remarks>
public static class XEdDsa
{
    /// <summary>Signature size: 512 bits (R ‖ s).</summary>
    public const int SignatureSizeInBytes = 512 / 8;

    /// <summary>Size of the random input Z: 512 bits (§2.3).</summary>
    public const int RandomSizeInBytes = 512 / 8;

    private const int PointSize = LibSodium.Ed25519PointBytes;
    private const int ScalarSize = LibSodium.Ed25519ScalarBytes;

    /// <summary>Hash inputs up to this size are assembled on the stack: 1 KiB.</summary>
    private const int StackHashInputSize = 1024;

    /// <summary>Signs <paramref name="message"/> with an X25519 private key and a fresh random Z.</summary>
    public static void Sign(X25519PrivateKey privateKey, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        Span<byte> z = stackalloc byte[RandomSizeInBytes];
        try
        {
            RandomNumberGenerator.Fill(z);
            Sign(privateKey, message, z, signature);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(z);
        }
    }

    /// <summary>
    /// xeddsa_sign(k, M, Z) with a caller-supplied Z of 64 bytes, as libsignal's <c>calculate_signature</c>
    /// takes its random source: for known-answer tests and callers with their own CSPRNG. Z must be fresh
    /// random for every signature.
    /// </summary>
    public static void Sign(X25519PrivateKey privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> random, Span<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (random.Length != RandomSizeInBytes)
        {
            throw new ArgumentException($"Z must be {RandomSizeInBytes} bytes.", nameof(random));
        }
        if (signature.Length != SignatureSizeInBytes)
        {
            throw new ArgumentException($"Signature must be {SignatureSizeInBytes} bytes.", nameof(signature));
        }
        SignCore(privateKey.Scalar, message, random, signature);
    }

    /// <summary>
    /// True when <paramref name="signature"/> is a valid XEdDSA (or libsignal) signature of
    /// <paramref name="message"/> under <paramref name="publicKey"/>. Malformed input is simply false.
    /// </summary>
    public static bool Verify(X25519PublicKey publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (signature.Length != SignatureSizeInBytes)
        {
            return false;
        }
        ReadOnlySpan<byte> y = publicKey.EdwardsY;
        if (y.IsEmpty)
        {
            return false;
        }
        Span<byte> edwardsKey = stackalloc byte[PointSize];
        y.CopyTo(edwardsKey);
        // Stryker disable once Assignment : equivalent; bit 255 of a normalized field element is 0, so |= and ^= agree.
        edwardsKey[^1] |= (byte)(signature[^1] & 0x80);
        Span<byte> edSignature = stackalloc byte[SignatureSizeInBytes];
        signature.CopyTo(edSignature);
        edSignature[^1] &= 0x7F;
        LibSodium.EnsureInitialized();
        return LibSodium.crypto_sign_ed25519_verify_detached(
            in edSignature[0], in MemoryMarshal.GetReference(message), (ulong)message.Length, in edwardsKey[0]) == 0;
    }

    /// <summary>xeddsa_sign(k, M, Z) of §2.3.</summary>
    private static void SignCore(ReadOnlySpan<byte> montgomeryScalar, ReadOnlySpan<byte> message, ReadOnlySpan<byte> z, Span<byte> signature)
    {
        LibSodium.EnsureInitialized();
        Span<byte> k = stackalloc byte[ScalarSize];
        Span<byte> a = stackalloc byte[ScalarSize];
        Span<byte> bigA = stackalloc byte[PointSize];
        Span<byte> r = stackalloc byte[ScalarSize];
        Span<byte> h = stackalloc byte[ScalarSize];
        try
        {
            // The X25519 function clamps its scalar; sign with that same effective scalar.
            montgomeryScalar.CopyTo(k);
            X25519PrivateKey.Clamp(k);
            CalculateKeyPair(k, bigA, a);

            Span<byte> prefix = stackalloc byte[ScalarSize];
            prefix.Fill(0xFF);
            prefix[0] = 0xFE;
            HashToScalar(r, prefix, a, message, z);

            Span<byte> bigR = signature[..PointSize];
            // Stryker disable once all : unreachable; r = 0 mod q has probability 2^-252.
            if (LibSodium.crypto_scalarmult_ed25519_base_noclamp(ref bigR[0], in r[0]) != 0)
            {
                throw new CryptographicException("XEdDSA: nonce reduced to zero.");
            }
            HashToScalar(h, bigR, bigA, message, default);

            Span<byte> s = signature[PointSize..];
            LibSodium.crypto_core_ed25519_scalar_mul(ref s[0], in h[0], in a[0]);
            LibSodium.crypto_core_ed25519_scalar_add(ref s[0], in s[0], in r[0]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(k);
            CryptographicOperations.ZeroMemory(a);
            CryptographicOperations.ZeroMemory(r);
        }
    }

    /// <summary>§2.3 calculate_key_pair: A = kB with sign bit 0, a = ±k mod q chosen without branching.</summary>
    private static void CalculateKeyPair(ReadOnlySpan<byte> k, Span<byte> bigA, Span<byte> a)
    {
        // Stryker disable once all : unreachable; a clamped scalar is never 0 mod q.
        if (LibSodium.crypto_scalarmult_ed25519_base_noclamp(ref bigA[0], in k[0]) != 0)
        {
            throw new CryptographicException("XEdDSA: invalid private scalar.");
        }
        Span<byte> wide = stackalloc byte[LibSodium.Ed25519NonReducedScalarBytes];
        Span<byte> negated = stackalloc byte[ScalarSize];
        try
        {
            k.CopyTo(wide);
            LibSodium.crypto_core_ed25519_scalar_reduce(ref a[0], in wide[0]);
            LibSodium.crypto_core_ed25519_scalar_negate(ref negated[0], in a[0]);
            // Stryker disable once Bitwise : equivalent; >> and >>> agree on a byte promoted to a non-negative int.
            byte mask = unchecked((byte)-(bigA[^1] >> 7));
            for (int i = 0; i < ScalarSize; i++)
            {
                a[i] = (byte)(a[i] ^ (mask & (a[i] ^ negated[i])));
            }
            bigA[^1] &= 0x7F;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wide);
            CryptographicOperations.ZeroMemory(negated);
        }
    }

    /// <summary>SHA-512 of the concatenated parts, reduced mod q. The parts are joined in one buffer (on the
    /// stack up to <see cref="StackHashInputSize"/> bytes, else a pinned array) that is wiped afterwards,
    /// since it holds the secret scalar when computing r.</summary>
    private static void HashToScalar(Span<byte> scalar, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> message, ReadOnlySpan<byte> suffix)
    {
        int length = first.Length + second.Length + message.Length + suffix.Length;
        // Stryker disable all : equivalent; both buffers hash the same bytes (the limit only chooses where they live: Contracts/XEdDsaContractTests covers both sides), and pinning cannot be observed.
        Span<byte> input = length <= StackHashInputSize
            ? stackalloc byte[StackHashInputSize]
            : GC.AllocateUninitializedArray<byte>(length, pinned: true);
        // Stryker restore all
        input = input[..length];
        Span<byte> digest = stackalloc byte[Sha512.HashSizeInBytes];
        try
        {
            first.CopyTo(input);
            second.CopyTo(input[first.Length..]);
            message.CopyTo(input[(first.Length + second.Length)..]);
            suffix.CopyTo(input[(length - suffix.Length)..]);
            SHA512.HashData(input, digest);
            LibSodium.crypto_core_ed25519_scalar_reduce(ref scalar[0], in digest[0]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
            CryptographicOperations.ZeroMemory(digest);
        }
    }

    /// <summary>
    /// §2.2 convert_mont(u): the Edwards y = (u − 1)/(u + 1) mod p, encoded with sign bit 0, or an empty array
    /// when u is not a canonical field element (u ≥ p, including any u with bit 255 set: §2.4 "if u ≥ p
    /// return false"). Public data; <see cref="X25519PublicKey.EdwardsY"/> computes it once per key.
    /// </summary>
    internal static byte[] ConvertMont(ReadOnlySpan<byte> u)
    {
        var edwardsPoint = new byte[PointSize];
        int[] x = X25519Field.Create();
        X25519Field.Decode255(u, x);
        X25519Field.Normalize(x);
        X25519Field.Encode(x, edwardsPoint);
        if (!edwardsPoint.AsSpan().SequenceEqual(u)) // public data: the encoded public key
        {
            // Stryker disable once all : equivalent; any bogus non-empty y also fails verification (Threats/NonCanonicalKeyTests).
            return [];
        }
        int[] numerator = X25519Field.Create();
        int[] denominator = X25519Field.Create();
        X25519Field.Copy(x, 0, numerator, 0);
        X25519Field.SubOne(numerator);
        X25519Field.Copy(x, 0, denominator, 0);
        X25519Field.AddOne(denominator);
        X25519Field.InvVar(denominator, denominator);
        X25519Field.Mul(numerator, denominator, x);
        X25519Field.Normalize(x);
        X25519Field.Encode(x, edwardsPoint);
        return edwardsPoint;
    }
}
