using Google.Protobuf;
using SecureComms.Cloud.Certificates;
using SecureComms.Crypto;
using static SecureComms.Cloud.Tests.Certificates.CertificateFixture;
using CertificateEnvelope = SecureComms.Cloud.Proto.IdentityCertificate;

namespace SecureComms.Cloud.Tests.Certificates;

/// <summary>
/// Identity certificates (issue 5): issue and verify, and every refusal of <see cref="CertificateVerifier"/>.
/// </summary>
public sealed class IdentityCertificateTests
{
    [Fact]
    public void Issued_certificate_verifies_and_exposes_its_fields()
    {
        var issued = Issuer.Issue("alice", 42, AliceKey, Now);
        var result = CertificateVerifier.Verify(issued.Serialized, Issuer.PublicKey, "alice", AliceKey, Now, CertificateVerifier.DefaultClockSkew);

        Assert.Equal(CertificateStatus.Valid, result.Status);
        Assert.True(result.IsValid);
        var certificate = result.Certificate!;
        Assert.Equal(IdentityCertificate.CurrentVersion, certificate.Version);
        Assert.Equal("alice", certificate.Username);
        Assert.Equal(42UL, certificate.UserId);
        Assert.Equal(AliceKey, certificate.IdentityKey.ToArray());
        Assert.Equal(AliceKey[1..], certificate.StaticKey.Bytes.ToArray());
        Assert.Equal(Now, certificate.NotBefore);
        Assert.Equal(Now + CertificateIssuer.DefaultValidity, certificate.NotAfter);
        Assert.Equal(Issuer.KeyId.ToArray(), certificate.IssuerKeyId.ToArray());
        Assert.Equal(issued.Serialized.ToArray(), certificate.Serialized.ToArray());
        Assert.Equal(CertificateStatus.Valid, CertificateVerifier.Verify(certificate, Issuer.PublicKey, "alice", AliceKey, Now, TimeSpan.Zero).Status);
    }

    [Fact]
    public void Issuer_key_id_is_the_first_8_bytes_of_sha256_of_the_public_key()
    {
        byte[] hash = System.Security.Cryptography.SHA256.HashData(Issuer.PublicKey.Bytes);
        Assert.Equal(hash[..8], IdentityCertificate.IssuerKeyIdOf(Issuer.PublicKey));
    }

    [Fact]
    public void Signature_is_ed25519_over_the_prefix_and_the_body_bytes()
    {
        var certificate = IdentityCertificate.Parse(Alice());
        Assert.Equal("SecureComms identity certificate v1\0"u8.ToArray(), IdentityCertificate.SignaturePrefix.ToArray());
        Assert.True(Ed25519.Verify(Issuer.PublicKey, [.. IdentityCertificate.SignaturePrefix, .. certificate.Body], certificate.Signature));
        Assert.False(Ed25519.Verify(Issuer.PublicKey, certificate.Body, certificate.Signature));
    }

    [Fact]
    public void Body_signed_without_the_prefix_is_BadSignature()
    {
        byte[] body = AliceBody().ToByteArray();
        byte[] signature = new byte[Ed25519.SignatureSizeInBytes];
        Ed25519.Sign(IssuerKey, body, signature);
        byte[] forged = new CertificateEnvelope { Body = ByteString.CopyFrom(body), Signature = ByteString.CopyFrom(signature) }.ToByteArray();
        Assert.Equal(CertificateStatus.BadSignature, Check(forged));
    }

    [Theory]
    [InlineData(0, 0x01)]
    [InlineData(31, 0x80)]
    [InlineData(32, 0x01)]
    [InlineData(63, 0x10)]
    [InlineData(63, 0x80)]
    public void Forged_signature_bit_flip_is_BadSignature(int signatureByte, byte mask)
    {
        byte[] certificate = Alice();
        certificate[certificate.Length - Ed25519.SignatureSizeInBytes + signatureByte] ^= mask;
        Assert.Equal(CertificateStatus.BadSignature, Check(certificate));
    }

    [Fact]
    public void Forged_body_every_body_bit_flip_is_refused()
    {
        byte[] original = Alice();
        var parsed = IdentityCertificate.Parse(original);
        int bodyStart = original.AsSpan().IndexOf(parsed.Body);
        for (int bit = 0; bit < parsed.Body.Length * 8; bit++)
        {
            byte[] tampered = (byte[])original.Clone();
            tampered[bodyStart + bit / 8] ^= (byte)(1 << (bit % 8));
            var status = Check(tampered);
            // A flip inside the issuer key id is reported as WrongIssuer (the diagnostic reads the unsigned body).
            Assert.True(status is CertificateStatus.BadSignature or CertificateStatus.WrongIssuer or CertificateStatus.Malformed, $"bit {bit}: {status}");
        }
    }

    [Fact]
    public void Forged_username_in_body_is_BadSignature()
    {
        var body = AliceBody();
        byte[] signed = Issuer.SignBody(body.ToByteArray());
        var envelope = CertificateEnvelope.Parser.ParseFrom(signed);
        body.Username = "mallory";
        envelope.Body = body.ToByteString();
        Assert.Equal(CertificateStatus.BadSignature, Check(envelope.ToByteArray(), user: "mallory"));
    }

    [Fact]
    public void Certificate_from_another_issuer_is_WrongIssuer()
    {
        byte[] certificate = OtherIssuer.Issue("alice", 42, AliceKey, Now.AddHours(-1)).Serialized.ToArray();
        Assert.Equal(CertificateStatus.WrongIssuer, Check(certificate));
        Assert.Equal(CertificateStatus.Valid, CertificateVerifier.Verify(certificate, OtherIssuer.PublicKey, "alice", AliceKey, Now, TimeSpan.Zero).Status);
    }

    [Fact]
    public void Another_issuer_claiming_our_key_id_is_BadSignature()
    {
        byte[] forged = OtherIssuer.SignBody(AliceBody().ToByteArray());
        Assert.Equal(CertificateStatus.BadSignature, Check(forged));
    }

    [Fact]
    public void Our_signature_over_another_key_id_is_WrongIssuer()
    {
        var body = AliceBody();
        body.IssuerKeyId = ByteString.CopyFrom(OtherIssuer.KeyId);
        Assert.Equal(CertificateStatus.WrongIssuer, Check(Issuer.SignBody(body.ToByteArray())));
    }

    [Fact]
    public void Expired_when_not_after_is_exactly_now_the_end_is_exclusive()
    {
        var issued = Issuer.Issue("alice", 42, AliceKey, Now.AddDays(-7));
        Assert.Equal(Now, issued.NotAfter);
        Assert.Equal(CertificateStatus.Expired, Check(issued.Serialized, now: Now));
        Assert.Equal(CertificateStatus.Valid, Check(issued.Serialized, now: Now.AddMilliseconds(-1)));
        Assert.Equal(CertificateStatus.Expired, Check(issued.Serialized, now: Now.AddYears(3)));
    }

    [Fact]
    public void Expired_within_clock_skew_is_still_valid_and_past_it_is_Expired()
    {
        var issued = Issuer.Issue("alice", 42, AliceKey, Now.AddDays(-7));
        var skew = TimeSpan.FromMinutes(5);
        Assert.Equal(CertificateStatus.Valid, Check(issued.Serialized, now: Now + skew - TimeSpan.FromMilliseconds(1), skew: skew));
        Assert.Equal(CertificateStatus.Expired, Check(issued.Serialized, now: Now + skew, skew: skew));
    }

    [Fact]
    public void Not_yet_valid_before_not_before_and_valid_at_it_the_start_is_inclusive()
    {
        var issued = Issuer.Issue("alice", 42, AliceKey, Now);
        Assert.Equal(CertificateStatus.Valid, Check(issued.Serialized, now: Now));
        Assert.Equal(CertificateStatus.NotYetValid, Check(issued.Serialized, now: Now.AddMilliseconds(-1)));
        var skew = TimeSpan.FromMinutes(5);
        Assert.Equal(CertificateStatus.Valid, Check(issued.Serialized, now: Now - skew, skew: skew));
        Assert.Equal(CertificateStatus.NotYetValid, Check(issued.Serialized, now: Now - skew - TimeSpan.FromMilliseconds(1), skew: skew));
    }

    [Fact]
    public void Other_user_certificate_is_WrongUser()
    {
        byte[] bobs = Issuer.Issue("bob", 43, BobKey, Now.AddHours(-1)).Serialized.ToArray();
        Assert.Equal(CertificateStatus.WrongUser, Check(bobs, user: "alice", key: BobKey));
        Assert.Equal(CertificateStatus.Valid, Check(bobs, user: "bob", key: BobKey));
    }

    [Theory]
    [InlineData("Alice")]
    [InlineData("alice ")]
    [InlineData("alic")]
    [InlineData("")]
    public void Username_must_match_exactly(string claimed) =>
        Assert.Equal(CertificateStatus.WrongUser, Check(Alice(), user: claimed));

    [Fact]
    public void Other_identity_key_is_KeyMismatch()
    {
        Assert.Equal(CertificateStatus.KeyMismatch, Check(Alice(), key: BobKey));
        Assert.Equal(CertificateStatus.KeyMismatch, Check(Alice(), key: AliceKey[..^1]));
        byte[] highBit = (byte[])AliceKey.Clone();
        highBit[^1] ^= 0x80;
        Assert.Equal(CertificateStatus.KeyMismatch, Check(Alice(), key: highBit));
    }

    [Fact]
    public void Null_expected_key_skips_the_key_check()
    {
        var result = CertificateVerifier.Verify(Alice(), Issuer.PublicKey, "alice", null, Now, TimeSpan.Zero);
        Assert.Equal(CertificateStatus.Valid, result.Status);
        Assert.Equal(AliceKey, result.Certificate!.IdentityKey.ToArray());
    }

    public static TheoryData<byte[]> MalformedInputs => new()
    {
        Array.Empty<byte>(),
        new byte[] { 0x00 },
        new byte[] { 0xFF, 0xFF, 0xFF },
        new byte[] { 0x0A, 0x05, 0x01 },
        new byte[] { 0x0A, 0x00, 0x12, 0x00 },
        Enumerable.Repeat((byte)0x41, 200).ToArray(),
    };

    [Theory, MemberData(nameof(MalformedInputs))]
    public void Malformed_bytes_are_Malformed(byte[] input)
    {
        Assert.Equal(CertificateStatus.Malformed, Check(input));
        Assert.False(IdentityCertificate.TryParse(input, out var certificate, out var error));
        Assert.Null(certificate);
        Assert.Equal(CertificateStatus.Malformed, error);
        Assert.Throws<FormatException>(() => IdentityCertificate.Parse(input));
    }

    [Fact]
    public void Truncated_certificate_is_Malformed()
    {
        byte[] certificate = Alice();
        for (int length = 0; length < certificate.Length; length++)
        {
            Assert.Equal(CertificateStatus.Malformed, Check(certificate.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Wrong_length_signature_is_Malformed()
    {
        var envelope = CertificateEnvelope.Parser.ParseFrom(Alice());
        envelope.Signature = ByteString.CopyFrom(envelope.Signature.Span[..63]);
        Assert.Equal(CertificateStatus.Malformed, Check(envelope.ToByteArray()));
    }

    [Fact]
    public void Oversize_certificate_is_Malformed_even_when_validly_signed()
    {
        var body = AliceBody();
        byte[] padded = [.. body.ToByteArray(), .. UnknownBytesField(15, 1024)];
        byte[] certificate = Issuer.SignBody(padded);
        Assert.True(certificate.Length > IdentityCertificate.MaxSerializedSizeInBytes);
        Assert.Equal(CertificateStatus.Malformed, Check(certificate));
        Assert.False(IdentityCertificate.TryParse(certificate, out _));
        Assert.Equal(CertificateStatus.Malformed, Check(new byte[IdentityCertificate.MaxSerializedSizeInBytes + 1]));
    }

    [Fact]
    public void Certificate_of_exactly_the_size_bound_verifies()
    {
        var body = AliceBody();
        byte[] plain = Issuer.SignBody(body.ToByteArray());
        // Grow an unknown field until the certificate is exactly at the bound (the length varints shift by a byte or two).
        for (int padding = IdentityCertificate.MaxSerializedSizeInBytes - plain.Length - 10; ; padding++)
        {
            byte[] certificate = Issuer.SignBody([.. body.ToByteArray(), .. UnknownBytesField(15, padding)]);
            if (certificate.Length == IdentityCertificate.MaxSerializedSizeInBytes)
            {
                Assert.Equal(CertificateStatus.Valid, Check(certificate));
                return;
            }
            Assert.True(certificate.Length < IdentityCertificate.MaxSerializedSizeInBytes, "no padding hits the bound exactly");
        }
    }

    [Fact]
    public void Non_canonical_envelope_is_Malformed()
    {
        byte[] certificate = Alice();
        var envelope = CertificateEnvelope.Parser.ParseFrom(certificate);
        byte[] signatureField = [0x12, 0x40, .. envelope.Signature.ToByteArray()];
        byte[] bodyField = [0x0A, .. Varint(envelope.Body.Length), .. envelope.Body.ToByteArray()];

        // Each of these parses (protobuf takes the last of a repeated field, keeps unknown fields) to the same
        // body and signature; a strict envelope refuses them so a valid certificate has one serialization.
        Assert.Equal(CertificateStatus.Malformed, Check([.. certificate, .. signatureField]));
        Assert.Equal(CertificateStatus.Malformed, Check([0x0A, 0x00, .. certificate]));
        Assert.Equal(CertificateStatus.Malformed, Check([.. signatureField, .. bodyField]));
        Assert.Equal(CertificateStatus.Malformed, Check([.. certificate, 0x18, 0x01]));
        Assert.Equal(CertificateStatus.Valid, Check([.. bodyField, .. signatureField]));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(2u)]
    [InlineData(uint.MaxValue)]
    public void Other_versions_are_UnsupportedVersion(uint version)
    {
        var body = AliceBody();
        body.Version = version;
        byte[] certificate = Issuer.SignBody(body.ToByteArray());
        Assert.Equal(CertificateStatus.UnsupportedVersion, Check(certificate));
        Assert.False(IdentityCertificate.TryParse(certificate, out _, out var error));
        Assert.Equal(CertificateStatus.UnsupportedVersion, error);
    }

    [Fact]
    public void Unsupported_version_is_checked_after_the_signature()
    {
        var body = AliceBody();
        body.Version = 2;
        Assert.Equal(CertificateStatus.BadSignature, Check(OtherIssuer.SignBody(body.ToByteArray())));
    }

    public static TheoryData<string> OutOfRangeFields => new()
    {
        "identity key of 32 bytes",
        "identity key of 34 bytes",
        "identity key type 0x06",
        "issuer key id of 7 bytes",
        "issuer key id of 32 bytes",
        "empty username",
        "username of 65 characters",
        "empty validity",
        "inverted validity",
        "not_before before year 1",
        "not_after after year 9999",
        "body not protobuf",
    };

    [Theory, MemberData(nameof(OutOfRangeFields))]
    public void Signed_body_with_a_field_out_of_range_is_Malformed(string field)
    {
        var body = AliceBody();
        switch (field)
        {
            case "identity key of 32 bytes": body.IdentityKey = ByteString.CopyFrom(AliceKey[1..]); break;
            case "identity key of 34 bytes": body.IdentityKey = ByteString.CopyFrom([.. AliceKey, 0]); break;
            case "identity key type 0x06": body.IdentityKey = ByteString.CopyFrom([0x06, .. AliceKey[1..]]); break;
            case "issuer key id of 7 bytes": body.IssuerKeyId = ByteString.CopyFrom(Issuer.KeyId[..7]); break;
            case "issuer key id of 32 bytes": body.IssuerKeyId = ByteString.CopyFrom(Issuer.PublicKey.Bytes); break;
            case "empty username": body.Username = ""; break;
            case "username of 65 characters": body.Username = new string('a', 65); break;
            case "empty validity": body.NotAfterUnixMs = body.NotBeforeUnixMs; break;
            case "inverted validity": (body.NotBeforeUnixMs, body.NotAfterUnixMs) = (body.NotAfterUnixMs, body.NotBeforeUnixMs); break;
            case "not_before before year 1": body.NotBeforeUnixMs = long.MinValue; break;
            case "not_after after year 9999": body.NotAfterUnixMs = long.MaxValue; break;
        }
        byte[] bytes = field == "body not protobuf" ? [0xFF, 0xFF] : body.ToByteArray();
        Assert.Equal(CertificateStatus.Malformed, Check(Issuer.SignBody(bytes), key: null));
        Assert.False(IdentityCertificate.TryParse(Issuer.SignBody(bytes), out _));
    }

    [Fact]
    public void Unknown_body_fields_are_signed_and_allowed()
    {
        byte[] body = [.. AliceBody().ToByteArray(), 0x78, 0x01, .. UnknownBytesField(16, 3)];
        byte[] certificate = Issuer.SignBody(body);
        var result = CertificateVerifier.Verify(certificate, Issuer.PublicKey, "alice", AliceKey, Now, TimeSpan.Zero);
        Assert.Equal(CertificateStatus.Valid, result.Status);
        Assert.Equal(body, result.Certificate!.Body.ToArray());

        // Dropping the unknown fields (what a re-serialization by an older reader might do) breaks the signature.
        var envelope = CertificateEnvelope.Parser.ParseFrom(certificate);
        envelope.Body = AliceBody().ToByteString();
        Assert.Equal(CertificateStatus.BadSignature, Check(envelope.ToByteArray()));
    }

    [Fact]
    public void Body_in_non_canonical_field_order_verifies_as_received()
    {
        var body = AliceBody();
        byte[] canonical = body.ToByteArray();
        // The same fields, username last: re-serializing would reorder them and break the signature.
        var withoutUsername = body.Clone();
        withoutUsername.Username = "";
        byte[] reordered = [.. withoutUsername.ToByteArray(), 0x12, 0x05, .. "alice"u8];
        Assert.NotEqual(canonical, reordered);
        Assert.Equal(body, Proto.CertificateBody.Parser.ParseFrom(reordered));

        byte[] certificate = Issuer.SignBody(reordered);
        Assert.Equal(CertificateStatus.Valid, Check(certificate));
        Assert.Equal(reordered, IdentityCertificate.Parse(certificate).Body.ToArray());
    }

    [Fact]
    public void Issue_refuses_bad_arguments()
    {
        Assert.Throws<ArgumentException>(() => Issuer.Issue("", 1, AliceKey, Now));
        Assert.Throws<ArgumentException>(() => Issuer.Issue(new string('a', 65), 1, AliceKey, Now));
        Assert.Throws<ArgumentException>(() => Issuer.Issue("a\uD800", 1, AliceKey, Now));
        Assert.Throws<ArgumentException>(() => Issuer.Issue("alice", 1, AliceKey[1..], Now));
        Assert.Throws<ArgumentException>(() => Issuer.Issue("alice", 1, [0x06, .. AliceKey[1..]], Now));
        Assert.Throws<ArgumentOutOfRangeException>(() => Issuer.Issue("alice", 1, AliceKey, Now, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => Issuer.Issue("alice", 1, AliceKey, Now, CertificateIssuer.MaxValidity + TimeSpan.FromMilliseconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Issuer.Issue("alice", 1, AliceKey, DateTimeOffset.MaxValue.AddDays(-1)));
        Assert.Equal(Now + CertificateIssuer.MaxValidity, Issuer.Issue("alice", 1, AliceKey, Now, CertificateIssuer.MaxValidity).NotAfter);
    }

    [Fact]
    public void Verify_refuses_a_clock_skew_out_of_range()
    {
        byte[] certificate = Alice();
        Assert.Throws<ArgumentOutOfRangeException>(() => CertificateVerifier.Verify(certificate, Issuer.PublicKey, "alice", AliceKey, Now, TimeSpan.FromMilliseconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => CertificateVerifier.Verify(certificate, Issuer.PublicKey, "alice", AliceKey, Now, CertificateVerifier.MaxClockSkew + TimeSpan.FromMilliseconds(1)));
        Assert.Equal(CertificateStatus.Valid, CertificateVerifier.Verify(certificate, Issuer.PublicKey, "alice", AliceKey, Now, CertificateVerifier.MaxClockSkew).Status);
    }

    [Fact]
    public void Verify_is_total_at_the_extremes_of_the_clock()
    {
        byte[] certificate = Alice();
        Assert.Equal(CertificateStatus.NotYetValid, Check(certificate, now: DateTimeOffset.MinValue, skew: CertificateVerifier.MaxClockSkew));
        Assert.Equal(CertificateStatus.Expired, Check(certificate, now: DateTimeOffset.MaxValue, skew: CertificateVerifier.MaxClockSkew));
    }

    [Fact]
    public void Refusals_carry_no_certificate()
    {
        var result = CertificateVerifier.Verify(Alice(), Issuer.PublicKey, "bob", AliceKey, Now, TimeSpan.Zero);
        Assert.Equal(CertificateStatus.WrongUser, result.Status);
        Assert.Null(result.Certificate);
        Assert.False(result.IsValid);
    }

    private static byte[] UnknownBytesField(int fieldNumber, int length) =>
        [.. Varint((fieldNumber << 3) | 2), .. Varint(length), .. new byte[length]];

    private static byte[] Varint(int value)
    {
        var bytes = new List<byte>();
        uint v = (uint)value;
        while (v >= 0x80)
        {
            bytes.Add((byte)((v & 0x7F) | 0x80));
            v >>= 7;
        }
        bytes.Add((byte)v);
        return [.. bytes];
    }
}
