using SecureComms.Crypto;
using SecureComms.Signal.Fingerprints;

namespace SecureComms.Signal.Tests.Contracts;

/// <summary>
/// <see cref="Fingerprint"/> and <see cref="ScannableFingerprint"/> beyond the published vectors: both sides
/// agree, any substituted key is detected, and the scannable parser is total. Few iterations keep it fast;
/// the vectors (SecureComms.Crypto.Tests/Signal) run the 5,200 of Signal's apps.
/// </summary>
public sealed class FingerprintContractTests
{
    private const int Iterations = 16;
    private static readonly byte[] AliceId = "alice"u8.ToArray(), BobId = "bob"u8.ToArray();

    [Fact]
    public void Both_sides_compute_the_same_60_digits_and_their_scannable_forms_match()
    {
        var (alice, bob) = (NewKey(), NewKey());
        var atAlice = new Fingerprint(2, Iterations, AliceId, alice, BobId, bob);
        var atBob = new Fingerprint(2, Iterations, BobId, bob, AliceId, alice);
        Assert.Equal(atAlice.Displayable, atBob.Displayable);
        Assert.Equal(60, atAlice.Displayable.Length);
        Assert.All(atAlice.Displayable, c => Assert.InRange(c, '0', '9'));
        Assert.Equal(FingerprintComparison.Match, atAlice.Scannable.Compare(atBob.Scannable.Serialize()));
        Assert.Equal(FingerprintComparison.Match, atBob.Scannable.Compare(atAlice.Scannable.Serialize()));
    }

    [Fact]
    public void A_substituted_identity_key_changes_the_digits_and_the_scan_fails()
    {
        var (alice, bob, mallory) = (NewKey(), NewKey(), NewKey());
        var atAlice = new Fingerprint(2, Iterations, AliceId, alice, BobId, mallory);
        var atBob = new Fingerprint(2, Iterations, BobId, bob, AliceId, alice);
        Assert.NotEqual(atAlice.Displayable, atBob.Displayable);
        Assert.Equal(FingerprintComparison.Mismatch, atAlice.Scannable.Compare(atBob.Scannable.Serialize()));
        Assert.Equal(FingerprintComparison.Mismatch, atBob.Scannable.Compare(atAlice.Scannable.Serialize()));
    }

    [Fact]
    public void Scanning_ones_own_code_is_a_mismatch()
    {
        var atAlice = new Fingerprint(2, Iterations, AliceId, NewKey(), BobId, NewKey());
        Assert.Equal(FingerprintComparison.Mismatch, atAlice.Scannable.Compare(atAlice.Scannable.Serialize()));
    }

    [Fact]
    public void Another_version_is_reported_as_such()
    {
        var (alice, bob) = (NewKey(), NewKey());
        var v1 = new Fingerprint(1, Iterations, AliceId, alice, BobId, bob);
        var v2 = new Fingerprint(2, Iterations, BobId, bob, AliceId, alice);
        Assert.Equal(FingerprintComparison.VersionMismatch, v1.Scannable.Compare(v2.Scannable.Serialize()));
        Assert.Equal(v1.Displayable, v2.Displayable);
    }

    [Theory]
    [InlineData("")]                       // no fields at all
    [InlineData("0802")]                   // version only
    [InlineData("080212220a20")]           // truncated local fingerprint
    [InlineData("ffffffff")]               // not protobuf
    [InlineData("08021202")]               // local fingerprint field truncated
    public void Malformed_input_is_reported_never_thrown(string hex)
    {
        var atAlice = new Fingerprint(2, Iterations, AliceId, NewKey(), BobId, NewKey());
        Assert.Equal(FingerprintComparison.Malformed, atAlice.Scannable.Compare(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Input_longer_than_the_bound_is_refused_before_parsing()
    {
        var atAlice = new Fingerprint(2, Iterations, AliceId, NewKey(), BobId, NewKey());
        byte[] valid = atAlice.Scannable.Serialize();
        Assert.InRange(valid.Length, 1, ScannableFingerprint.MaxSerializedSizeInBytes);
        byte[] padded = [.. valid, .. new byte[ScannableFingerprint.MaxSerializedSizeInBytes + 1 - valid.Length]];
        Assert.Equal(FingerprintComparison.Malformed, atAlice.Scannable.Compare(padded));
    }

    [Fact]
    public void Arguments_are_checked_at_the_door()
    {
        var key = NewKey();
        Assert.Throws<ArgumentOutOfRangeException>("iterations", () => new Fingerprint(2, 0, AliceId, key, BobId, key));
        Assert.Throws<ArgumentOutOfRangeException>("iterations", () => new Fingerprint(2, Fingerprint.MaxIterations + 1, AliceId, key, BobId, key));
        Assert.Throws<ArgumentNullException>("localIdentityKey", () => new Fingerprint(2, 1, AliceId, null!, BobId, key));
        Assert.Throws<ArgumentNullException>("remoteIdentityKey", () => new Fingerprint(2, 1, AliceId, key, BobId, null!));
        var longId = new byte[Fingerprint.MaxStableIdSizeInBytes + 1];
        Assert.Throws<ArgumentException>("localStableId", () => new Fingerprint(2, 1, longId, key, BobId, key));
        Assert.Throws<ArgumentException>("remoteStableId", () => new Fingerprint(2, 1, AliceId, key, longId, key));
        Assert.Equal(60, new Fingerprint(2, 1, longId[..^1], key, BobId, key).Displayable.Length);
    }

    private static IdentityKey NewKey()
    {
        using var key = X25519PrivateKey.Generate();
        return new IdentityKey(key.PublicKey);
    }
}
