using SecureComms.Crypto;
using SecureComms.Signal;
using SecureComms.Signal.Fingerprints;
using SecureComms.Signal.Ratchet;
using SecureComms.Signal.X3dh;

namespace SecureComms.Vectors.Suites;

/// <summary>
/// libsignal / curve25519-java known answers (<c>signal/signal_kat.json</c>) that exercise the primitives
/// layer: XEdDSA verification (spec signatures and libsignal's sign-bit-in-signature form), deterministic
/// XEdDSA signing, X25519 agreement, HKDF, and the Signal layer's numeric fingerprints. Cases that need
/// curve25519-java's unclamped ladder are skipped with that reason. The protocol layer's cases run through
/// the Double Ratchet's KDF_CK and X3DH as responder (RatchetInitBob's first sending chain key).
/// </summary>
public sealed class SignalKat() : VectorSuite("signal/signal_kat", "signal/signal_kat.json")
{
    /// <summary>Skip reason of the cases curve25519-java computed without clamping.</summary>
    public const string UnclampedReason =
        "requires_unclamped_scalar: curve25519-java's ladder does not clamp; RFC 7748 X25519 (libsodium) always clamps";

    /// <summary>Skip reason of the HKDF cases for libsignal's pre-v3 message version.</summary>
    public const string HkdfV2Reason =
        "HKDF v2 (libsignal's pre-v3 variant, counter from 0) is not offered: SecureComms speaks session version 3 only";

    /// <inheritdoc/>
    protected override Verdict Check(VectorCase testCase)
    {
        if (testCase.Flag("requires_unclamped_scalar"))
        {
            return Verdict.Skip(UnclampedReason);
        }
        return testCase.Text("kind") switch
        {
            "xeddsa_verify" => CheckVerify(testCase),
            "xeddsa_sign_deterministic" => CheckDeterministicSignature(testCase, reproduceSigning: true),
            "curve25519_sign_legacy" => CheckDeterministicSignature(testCase, reproduceSigning: false),
            "x25519_agreement" => CheckAgreement(testCase),
            "iterated_agreement" => CheckIteratedAgreement(testCase),
            "hkdf" => CheckHkdf(testCase),
            "numeric_fingerprint" => CheckFingerprint(testCase),
            "chain_key" => CheckChainKey(testCase),
            "x3dh_session_init_bob" => CheckX3dhAsBob(testCase),
            string kind => Verdict.Fail($"unknown kind '{kind}'"),
        };
    }

    /// <summary>Curve25519Test.testSignature: verifies, and no single flipped bit verifies.</summary>
    private static Verdict CheckVerify(VectorCase testCase)
    {
        var publicKey = SignalPublicKey(testCase.Bytes("identity_public")).PublicKey;
        byte[] message = testCase.Bytes("message"), signature = testCase.Bytes("signature");
        if (!XEdDsa.Verify(publicKey, message, signature))
        {
            return Verdict.Fail("published signature does not verify");
        }
        for (int bit = 0; bit < signature.Length * 8; bit++)
        {
            signature[bit / 8] ^= (byte)(1 << (bit % 8));
            bool forged = XEdDsa.Verify(publicKey, message, signature);
            signature[bit / 8] ^= (byte)(1 << (bit % 8));
            if (forged)
            {
                return Verdict.Fail($"signature with bit {bit} flipped verifies");
            }
        }
        return Verdict.Pass("verifies; all 512 one-bit changes refused");
    }

    /// <summary>curve25519-java fast tests: key = clamp(0…0 with byte 8 = 189), Z = 0.</summary>
    private static Verdict CheckDeterministicSignature(VectorCase testCase, bool reproduceSigning)
    {
        var scalar = new byte[X25519PrivateKey.SizeInBytes];
        scalar[8] = 189;
        X25519PrivateKey.Clamp(scalar);
        using var key = X25519PrivateKey.Import(scalar);
        byte[] message = testCase.Bytes("message"), expected = testCase.Bytes("expected_signature");
        if (!XEdDsa.Verify(key.PublicKey, message, expected))
        {
            return Verdict.Fail("published signature does not verify");
        }
        if (!reproduceSigning)
        {
            return Verdict.Pass("legacy curve25519 signature verifies");
        }
        var signature = new byte[XEdDsa.SignatureSizeInBytes];
        XEdDsa.Sign(key, message, testCase.Bytes("random"), signature);
        return Verdict.PassIf(signature.AsSpan().SequenceEqual(expected), "signing with Z = 0 does not reproduce the signature");
    }

    private static Verdict CheckAgreement(VectorCase testCase)
    {
        using var alice = X25519PrivateKey.Import(testCase.Bytes("alice_private"));
        using var bob = X25519PrivateKey.Import(testCase.Bytes("bob_private"));
        var alicePublic = SignalPublicKey(testCase.Bytes("alice_public")).PublicKey;
        var bobPublic = SignalPublicKey(testCase.Bytes("bob_public")).PublicKey;
        byte[] expected = testCase.Bytes("expected_shared");
        return Verdict.PassIf(
            alice.PublicKey.Equals(alicePublic) && bob.PublicKey.Equals(bobPublic)
            && KnownAnswer.Agree(alice, bobPublic).SequenceEqual(expected) && KnownAnswer.Agree(bob, alicePublic).SequenceEqual(expected),
            "public keys or shared secret differ");
    }

    /// <summary>Curve25519ProviderTest.testEcDh: 1,000 rounds of agreement feeding itself.</summary>
    private static Verdict CheckIteratedAgreement(VectorCase testCase)
    {
        var p = new byte[X25519PublicKey.SizeInBytes];
        var n = new byte[X25519PrivateKey.SizeInBytes];
        p[0] = n[0] = 100;
        X25519PrivateKey.Clamp(n);
        byte[] q = [];
        for (int i = 0; i < 1000; i++)
        {
            using var key = X25519PrivateKey.Import(n);
            q = KnownAnswer.Agree(key, X25519PublicKey.Decode(p));
            p = q;
            q = KnownAnswer.Agree(key, X25519PublicKey.Decode(p));
            n = (byte[])q.Clone();
            X25519PrivateKey.Clamp(n);
        }
        return Verdict.PassIf(q.AsSpan().SequenceEqual(testCase.Bytes("expected")), "iterated agreement differs");
    }

    private static Verdict CheckHkdf(VectorCase testCase)
    {
        if (testCase.Int("hkdf_message_version") != 3)
        {
            return Verdict.Skip(HkdfV2Reason);
        }
        var okm = new byte[testCase.Int("length")];
        HkdfSha256.DeriveKey(testCase.Bytes("ikm"), testCase.Bytes("salt"), testCase.Bytes("info"), okm);
        return Verdict.PassIf(okm.AsSpan().SequenceEqual(testCase.Bytes("expected_okm")), "OKM differs");
    }

    /// <summary>
    /// NumericFingerprintGeneratorTest v1/v2: the 60 digits, both scannable forms byte for byte, and each
    /// side's scannable form matching the other's.
    /// </summary>
    private static Verdict CheckFingerprint(VectorCase testCase)
    {
        int version = testCase.Int("version"), iterations = testCase.Int("iterations");
        byte[] aliceId = System.Text.Encoding.ASCII.GetBytes(testCase.Text("alice_stable_id"));
        byte[] bobId = System.Text.Encoding.ASCII.GetBytes(testCase.Text("bob_stable_id"));
        var aliceKey = SignalPublicKey(testCase.Bytes("alice_identity"));
        var bobKey = SignalPublicKey(testCase.Bytes("bob_identity"));
        var alice = new Fingerprint(version, iterations, aliceId, aliceKey, bobId, bobKey);
        var bob = new Fingerprint(version, iterations, bobId, bobKey, aliceId, aliceKey);
        byte[] aliceScannable = alice.Scannable.Serialize(), bobScannable = bob.Scannable.Serialize();
        return Verdict.PassIf(
            alice.Displayable == testCase.Text("expected_displayable") && bob.Displayable == alice.Displayable
            && aliceScannable.AsSpan().SequenceEqual(testCase.Bytes("expected_alice_scannable"))
            && bobScannable.AsSpan().SequenceEqual(testCase.Bytes("expected_bob_scannable"))
            && alice.Scannable.Compare(bobScannable) == FingerprintComparison.Match
            && bob.Scannable.Compare(aliceScannable) == FingerprintComparison.Match,
            "displayable or scannable fingerprint differs");
    }

    /// <summary>Signal serializes a Curve25519 public key as type byte 0x05 followed by the 32-byte u.</summary>
    /// <summary>ChainKeyTest: KDF_CK's message keys and next chain key.</summary>
    private static Verdict CheckChainKey(VectorCase testCase)
    {
        if (testCase.Int("hkdf_message_version") != 3)
        {
            return Verdict.Skip(HkdfV2Reason);
        }
        (byte[] next, MessageKeys keys) = RatchetKdf.KdfCk(testCase.Bytes("chain_key_seed"), (uint)testCase.Int("index"));
        return Verdict.PassIf(
            keys.CipherKey.AsSpan().SequenceEqual(testCase.Bytes("expected_message_cipher_key"))
            && keys.MacKey.AsSpan().SequenceEqual(testCase.Bytes("expected_message_mac_key"))
            && next.AsSpan().SequenceEqual(testCase.Bytes("expected_next_chain_key")),
            "message keys or next chain key differ");
    }

    /// <summary>RatchetingSessionTest.testRatchetingSessionAsBob: X3DH as responder, then RatchetInitBob's sending chain key.</summary>
    private static Verdict CheckX3dhAsBob(VectorCase testCase)
    {
        if (testCase.Has("bob_one_time_prekey"))
        {
            return Verdict.Fail("cases with a one-time prekey are not described by this check");
        }
        using X25519PrivateKey identity = X25519PrivateKey.Import(testCase.Bytes("bob_identity_private"));
        using X25519PrivateKey signedPreKey = X25519PrivateKey.Import(testCase.Bytes("bob_signed_prekey_private"), exportable: true);
        if (!SignalPublicKey(testCase.Bytes("bob_identity_public")).PublicKey.Equals(identity.PublicKey)
            || !SignalPublicKey(testCase.Bytes("bob_signed_prekey_public")).PublicKey.Equals(signedPreKey.PublicKey))
        {
            return Verdict.Fail("published private keys do not match their public keys");
        }
        byte[] secret = X3dhAgreement.Responder(
            identity,
            signedPreKey,
            null,
            SignalPublicKey(testCase.Bytes("alice_identity_public")).PublicKey,
            SignalPublicKey(testCase.Bytes("alice_base_public")).PublicKey);
        var state = DoubleRatchet.InitBob(secret, signedPreKey);
        return Verdict.PassIf(
            state.SenderChain.ChainKey.Key.Span.SequenceEqual(testCase.Bytes("expected_bob_sender_chain_key")),
            "Bob's first sending chain key differs");
    }

    private static IdentityKey SignalPublicKey(byte[] serialized) =>
        IdentityKey.TryDeserialize(serialized, out var key)
            ? key!
            : throw new VectorFormatException("not a 33-byte Signal public key (0x05 ‖ u)");
}
