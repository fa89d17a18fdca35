using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SecureComms.Signal;
using SecureComms.Signal.Sessions;
using SecureComms.Signal.Stores;
using SecureComms.Signal.Wire;
using SecureComms.Signal.X3dh;

namespace SecureComms.Bench;

/// <summary>
/// Signal session setup, end to end: Alice processes Bob's prekey bundle (signature check, X3DH as initiator),
/// encrypts the first message (a PreKeySignalMessage, serialized) and Bob decrypts it (parse, X3DH as
/// responder, consumption of the one-time prekey). interop/signal/bench.mjs measures the same three steps on
/// libsignal-client; scripts/bench prints the ratio.
/// </summary>
/// <remarks>
/// <para>A session can be set up only once per pair of stores (the one-time prekey is consumed, and a second
/// bundle for the same address would archive the first session and grow the record), so every operation
/// needs fresh parties. They are made in <see cref="PrepareParties"/>, outside the measurement:
/// <see cref="SessionsPerIteration"/> pairs of in-memory stores (identity key pairs, Bob's signed prekey and
/// one-time prekey) and Bob's bundle, each used by one invocation. What is timed is exactly
/// <see cref="SessionSetup"/>; BenchmarkDotNet runs <c>[IterationSetup]</c> before it starts the clock and
/// the allocation counters.</para>
/// <para>The fixed invocation count replaces the pilot stage (which cannot run with a per-iteration setup of
/// a fixed size); with an operation near a millisecond an iteration lasts a few hundred milliseconds.</para>
/// </remarks>
// Public and unsealed: BenchmarkDotNet derives a runner from benchmark classes, so STYLE.md §6 (sealed by default) cannot apply.
[BenchmarkCategory(BenchCategories.Signal)]
[InvocationCount(SessionsPerIteration, 1)]
public class SignalSessionSetupBench
{
    /// <summary>Fresh party pairs made per iteration; one per invocation.</summary>
    public const int SessionsPerIteration = 256;

    private readonly byte[] _plaintext = RandomNumberGenerator.GetBytes(SignalBenchParty.PlaintextSizeInBytes);
    private readonly List<(SignalBenchParty Alice, SignalBenchParty Bob, PreKeyBundle Bundle)> _pairs = [];
    private int _next;

    /// <summary>Checks once that the measured path does what it claims: a PreKey message that Bob decrypts.</summary>
    [GlobalSetup]
    public void Check()
    {
        PrepareParties();
        (SignalBenchParty alice, SignalBenchParty bob, PreKeyBundle bundle) = _pairs[0];
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bundle);
        CiphertextMessage first = alice.Cipher.Encrypt(bob.Address, _plaintext);
        byte[] opened = bob.Cipher.Decrypt(alice.Address, first.Type, first.Serialized);
        if (first.Type != CiphertextMessageType.PreKey || !opened.AsSpan().SequenceEqual(_plaintext) || bob.HasPreKey(bundle))
        {
            throw new InvalidOperationException("Signal session setup failed in benchmark setup.");
        }
        DisposeParties();
    }

    /// <summary>Makes <see cref="SessionsPerIteration"/> fresh pairs of parties and Bob's bundles (not timed).</summary>
    [IterationSetup]
    public void PrepareParties()
    {
        DisposeParties();
        for (int i = 0; i < SessionsPerIteration; i++)
        {
            var alice = new SignalBenchParty("alice");
            var bob = new SignalBenchParty("bob");
            _pairs.Add((alice, bob, bob.PublishBundle()));
        }
        _next = 0;
    }

    /// <summary>Wipes the keys of the pairs used in the iteration.</summary>
    [IterationCleanup]
    public void DisposeParties()
    {
        foreach ((SignalBenchParty alice, SignalBenchParty bob, _) in _pairs)
        {
            alice.Dispose();
            bob.Dispose();
        }
        _pairs.Clear();
    }

    /// <summary>Bundle → first message → decrypted: one session set up on both sides.</summary>
    [Benchmark]
    public byte[] SessionSetup()
    {
        (SignalBenchParty alice, SignalBenchParty bob, PreKeyBundle bundle) = _pairs[_next++];
        alice.Cipher.ProcessPreKeyBundle(bob.Address, bundle);
        CiphertextMessage first = alice.Cipher.Encrypt(bob.Address, _plaintext);
        return bob.Cipher.Decrypt(alice.Address, first.Type, first.Serialized);
    }
}

/// <summary>
/// Messages in an established Signal session between two in-memory stores, 100-byte plaintexts, each message
/// serialized by the sender and parsed by the receiver (as interop/signal/bench.mjs does on libsignal-client):
/// <list type="bullet">
/// <item><see cref="PingPong"/>: one round trip (Alice → Bob, Bob → Alice), two encryptions and two
/// decryptions. Each message answers the other party's last one, so each decryption takes a DH ratchet step
/// (a key pair and two X25519 agreements) as in a real alternating conversation.</item>
/// <item><see cref="OneWay"/>: Alice → Bob on the same sending chain, no DH ratchet step: the symmetric cost
/// (KDF_CK, AES-256-CBC, HMAC-SHA256) plus loading, copying and storing the session record.</item>
/// </list>
/// </summary>
/// <remarks>
/// The session is established in <see cref="Establish"/> and driven past libsignal's five kept receiver chains
/// (<see cref="SessionLimits.MaxReceiverChains"/>), so every measured message sees a record of steady size.
/// BenchmarkDotNet runs each benchmark in its own process, so each starts from its own fresh session.
/// </remarks>
// Public and unsealed: BenchmarkDotNet derives a runner from benchmark classes, so STYLE.md §6 (sealed by default) cannot apply.
[BenchmarkCategory(BenchCategories.Signal)]
public class SignalSessionBench
{
    private readonly byte[] _plaintext = RandomNumberGenerator.GetBytes(SignalBenchParty.PlaintextSizeInBytes);
    private SignalBenchParty _alice = null!;
    private SignalBenchParty _bob = null!;

    /// <summary>X3DH, the first message and its reply, then enough round trips to fill the receiver chains.</summary>
    [GlobalSetup]
    public void Establish()
    {
        _alice = new SignalBenchParty("alice");
        _bob = new SignalBenchParty("bob");
        _alice.Cipher.ProcessPreKeyBundle(_bob.Address, _bob.PublishBundle());
        CiphertextMessage first = _alice.Cipher.Encrypt(_bob.Address, _plaintext);
        _bob.Cipher.Decrypt(_alice.Address, first.Type, first.Serialized);
        for (int i = 0; i < 2 * SessionLimits.MaxReceiverChains; i++)
        {
            PingPong();
        }
        CiphertextMessage next = _alice.Cipher.Encrypt(_bob.Address, _plaintext);
        byte[] opened = _bob.Cipher.Decrypt(_alice.Address, next.Type, next.Serialized);
        if (next.Type != CiphertextMessageType.Whisper || !opened.AsSpan().SequenceEqual(_plaintext) || !PingPong().AsSpan().SequenceEqual(_plaintext))
        {
            throw new InvalidOperationException("Signal session failed in benchmark setup.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    /// <summary>Alice → Bob, then Bob → Alice: two encryptions, two decryptions, two DH ratchet steps.</summary>
    [Benchmark]
    public byte[] PingPong()
    {
        CiphertextMessage toBob = _alice.Cipher.Encrypt(_bob.Address, _plaintext);
        _bob.Cipher.Decrypt(_alice.Address, toBob.Type, toBob.Serialized);
        CiphertextMessage toAlice = _bob.Cipher.Encrypt(_alice.Address, _plaintext);
        return _alice.Cipher.Decrypt(_bob.Address, toAlice.Type, toAlice.Serialized);
    }

    /// <summary>Alice → Bob on the same chain: one encryption, one decryption, no DH ratchet step.</summary>
    [Benchmark]
    public byte[] OneWay()
    {
        CiphertextMessage toBob = _alice.Cipher.Encrypt(_bob.Address, _plaintext);
        return _bob.Cipher.Decrypt(_alice.Address, toBob.Type, toBob.Serialized);
    }
}

/// <summary>One benchmark party: an <see cref="InMemorySignalProtocolStore"/> (records kept serialized), its
/// cipher and address.</summary>
internal sealed class SignalBenchParty : IDisposable
{
    /// <summary>Plaintext of every benchmark message (a short chat message).</summary>
    internal const int PlaintextSizeInBytes = 100;

    private const uint SignedPreKeyId = 1;
    private const uint PreKeyId = 1;

    private readonly InMemorySignalProtocolStore _store;

    public SignalBenchParty(string name)
    {
        Address = new ProtocolAddress(name, 1);
        _store = new InMemorySignalProtocolStore(IdentityKeyPair.Generate(), (uint)RandomNumberGenerator.GetInt32(1, 16380));
        Cipher = new SessionCipher(_store);
    }

    public ProtocolAddress Address { get; }

    public SessionCipher Cipher { get; }

    /// <summary>Stores a fresh signed prekey and one-time prekey and returns the bundle that publishes them.</summary>
    public PreKeyBundle PublishBundle()
    {
        IdentityKeyPair identity = _store.GetIdentityKeyPair();
        using SignedPreKeyRecord signed = SignedPreKeyRecord.Generate(SignedPreKeyId, identity, DateTimeOffset.UtcNow);
        using PreKeyRecord preKey = PreKeyRecord.Generate(PreKeyId);
        _store.StoreSignedPreKey(signed);
        _store.StorePreKey(preKey);
        return new PreKeyBundle(_store.GetLocalRegistrationId(), Address.DeviceId, preKey.Id, preKey.PublicKey,
            signed.Id, signed.PublicKey, signed.Signature, identity.PublicKey);
    }

    /// <summary>Whether the one-time prekey of <paramref name="bundle"/> is still stored (unconsumed).</summary>
    public bool HasPreKey(PreKeyBundle bundle)
    {
        using PreKeyRecord? record = bundle.PreKeyId is uint id ? _store.LoadPreKey(id) : null;
        return record is not null;
    }

    public void Dispose() => _store.Dispose();
}
