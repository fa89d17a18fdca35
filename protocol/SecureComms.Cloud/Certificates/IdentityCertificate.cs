using System.Text;
using Google.Protobuf;
using SecureComms.Crypto;
using CertificateBodyMessage = SecureComms.Cloud.Proto.CertificateBody;
using CertificateEnvelope = SecureComms.Cloud.Proto.IdentityCertificate;

namespace SecureComms.Cloud.Certificates;

/// <summary>
/// A server-signed identity certificate (issue 5): the deployment's issuer key vouches that
/// <see cref="Username"/> (account <see cref="UserId"/>) holds <see cref="IdentityKey"/> from
/// <see cref="NotBefore"/> (inclusive) to <see cref="NotAfter"/> (exclusive).
/// </summary>
/// <remarks>
/// <para><b>Wire format.</b> <c>certificate.proto</c>: an <c>IdentityCertificate { body, signature }</c> envelope
/// whose body is a serialized <c>CertificateBody</c>.</para>
/// <para><b>Signed bytes.</b> <see cref="SignaturePrefix"/> (the ASCII string
/// <c>"SecureComms identity certificate v1"</c> and one 0x00 byte, 36 bytes) ‖ <see cref="Body"/> exactly as
/// received; Ed25519 (RFC 8032, PureEdDSA) with the issuer key. The prefix separates this signature from any
/// other the issuer key might ever make. The body is never re-serialized: a verifier checks the bytes it got,
/// so unknown fields in the body (added by a newer issuer) are allowed, signed, and ignored.</para>
/// <para><b>Strictness.</b> The serialized certificate is at most <see cref="MaxSerializedSizeInBytes"/>
/// (checked before any parsing), and the envelope must be canonical: exactly field 1 (non-empty body), then
/// field 2 (a 64-byte signature), nothing else, so a valid certificate has exactly one serialization (no
/// duplicated or extra fields that the protobuf parser would otherwise accept).</para>
/// <para><b>Hazard.</b> Parsing checks structure only, never the signature: a parsed certificate is a claim
/// until <see cref="CertificateVerifier"/> says <see cref="CertificateStatus.Valid"/>.</para>
/// </remarks>
public sealed class IdentityCertificate
{
    /// <summary>Bound on the serialized certificate, checked before parsing: 1 KiB.</summary>
    public const int MaxSerializedSizeInBytes = 1024;

    /// <summary>The body format this code reads and writes.</summary>
    public const uint CurrentVersion = 1;

    /// <summary>Identity key size: the type byte <see cref="IdentityKeyType"/> and the 32-byte X25519 u-coordinate.</summary>
    public const int IdentityKeySizeInBytes = 1 + X25519PublicKey.SizeInBytes;

    /// <summary>The type byte of a Curve25519 (Signal) identity key.</summary>
    public const byte IdentityKeyType = 0x05;

    /// <summary>Issuer key id size: the first 8 bytes of SHA-256 of the issuer's Ed25519 public key.</summary>
    public const int IssuerKeyIdSizeInBytes = 8;

    /// <summary>Longest username a certificate carries, in UTF-16 code units (usernames are ASCII, at most 32).</summary>
    public const int MaxUsernameLength = 64;

    private readonly byte[] _serialized;
    private readonly byte[] _body;
    private readonly byte[] _signature;
    private readonly byte[] _identityKey;
    private readonly byte[] _issuerKeyId;

    private IdentityCertificate(byte[] serialized, byte[] body, byte[] signature, CertificateBodyMessage message)
    {
        _serialized = serialized;
        _body = body;
        _signature = signature;
        _identityKey = message.IdentityKey.ToByteArray();
        _issuerKeyId = message.IssuerKeyId.ToByteArray();
        Version = message.Version;
        Username = message.Username;
        UserId = message.UserId;
        NotBeforeUnixMs = message.NotBeforeUnixMs;
        NotAfterUnixMs = message.NotAfterUnixMs;
        StaticKey = X25519PublicKey.Decode(_identityKey.AsSpan(1));
    }

    /// <summary>The domain-separation prefix of the signed bytes: <c>"SecureComms identity certificate v1\0"</c>.</summary>
    public static ReadOnlySpan<byte> SignaturePrefix => "SecureComms identity certificate v1\0"u8;

    /// <summary>The certificate as received (the exact bytes parsed).</summary>
    public ReadOnlySpan<byte> Serialized => _serialized;

    /// <summary>The serialized body, exactly as received: what the signature covers after <see cref="SignaturePrefix"/>.</summary>
    public ReadOnlySpan<byte> Body => _body;

    /// <summary>The issuer's 64-byte Ed25519 signature.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>The body format version (always <see cref="CurrentVersion"/> for a parsed certificate).</summary>
    public uint Version { get; }

    /// <summary>The account's username.</summary>
    public string Username { get; }

    /// <summary>The account's id on the issuing deployment.</summary>
    public ulong UserId { get; }

    /// <summary>The identity key, <c>0x05 ‖ u</c> (<see cref="IdentityKeySizeInBytes"/> bytes).</summary>
    public ReadOnlySpan<byte> IdentityKey => _identityKey;

    /// <summary>The identity key's u-coordinate: the user's X25519 static key on direct channels.</summary>
    public X25519PublicKey StaticKey { get; }

    /// <summary>Start of validity (inclusive), Unix milliseconds.</summary>
    public long NotBeforeUnixMs { get; }

    /// <summary>End of validity (exclusive), Unix milliseconds.</summary>
    public long NotAfterUnixMs { get; }

    /// <summary>Start of validity (inclusive).</summary>
    public DateTimeOffset NotBefore => DateTimeOffset.FromUnixTimeMilliseconds(NotBeforeUnixMs);

    /// <summary>End of validity (exclusive).</summary>
    public DateTimeOffset NotAfter => DateTimeOffset.FromUnixTimeMilliseconds(NotAfterUnixMs);

    /// <summary>The issuer's key id (<see cref="IssuerKeyIdSizeInBytes"/> bytes; see <see cref="IssuerKeyIdOf"/>).</summary>
    public ReadOnlySpan<byte> IssuerKeyId => _issuerKeyId;

    /// <summary>The key id of an issuer key: the first 8 bytes of SHA-256 of its 32-byte encoding.</summary>
    public static byte[] IssuerKeyIdOf(Ed25519PublicKey issuerPublicKey)
    {
        ArgumentNullException.ThrowIfNull(issuerPublicKey);
        Span<byte> hash = stackalloc byte[Sha256.HashSizeInBytes];
        Sha256.Hash(issuerPublicKey.Bytes, hash);
        return hash[..IssuerKeyIdSizeInBytes].ToArray();
    }

    /// <summary>The bytes the issuer signs for <paramref name="body"/>: <see cref="SignaturePrefix"/> ‖ body.</summary>
    public static byte[] SignedBytes(ReadOnlySpan<byte> body)
    {
        byte[] signed = new byte[SignaturePrefix.Length + body.Length];
        SignaturePrefix.CopyTo(signed);
        body.CopyTo(signed.AsSpan(SignaturePrefix.Length));
        return signed;
    }

    /// <summary>Parses a certificate's structure (not its signature: see <see cref="CertificateVerifier"/>).
    /// Total: false for any input that is not a well-formed, current-version certificate.</summary>
    public static bool TryParse(ReadOnlySpan<byte> serialized, out IdentityCertificate? certificate) =>
        TryParse(serialized, out certificate, out _);

    /// <summary>Parses a certificate's structure; on failure <paramref name="error"/> is
    /// <see cref="CertificateStatus.Malformed"/> or <see cref="CertificateStatus.UnsupportedVersion"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> serialized, out IdentityCertificate? certificate, out CertificateStatus error)
    {
        certificate = null;
        if (!TryParseEnvelope(serialized, out byte[] body, out byte[] signature))
        {
            error = CertificateStatus.Malformed;
            return false;
        }
        error = TryParseBody(serialized.ToArray(), body, signature, out certificate);
        return certificate is not null;
    }

    /// <summary>Parses a certificate's structure (not its signature).</summary>
    /// <exception cref="FormatException">The input is not a well-formed, current-version certificate.</exception>
    public static IdentityCertificate Parse(ReadOnlySpan<byte> serialized) =>
        TryParse(serialized, out var certificate, out var error)
            ? certificate!
            : throw new FormatException($"Not an identity certificate ({error}).");

    /// <summary>The envelope: size bound first, then protobuf, then the canonical form.</summary>
    internal static bool TryParseEnvelope(ReadOnlySpan<byte> serialized, out byte[] body, out byte[] signature)
    {
        body = [];
        signature = [];
        if (serialized.Length > MaxSerializedSizeInBytes)
        {
            return false;
        }
        CertificateEnvelope envelope;
        try
        {
            envelope = CertificateEnvelope.Parser.ParseFrom(serialized);
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
        if (envelope.Body.IsEmpty || envelope.Signature.Length != Ed25519.SignatureSizeInBytes)
        {
            return false;
        }
        // Canonical: the input is exactly field 1 then field 2 (no unknown, repeated or reordered fields). A fresh
        // envelope of the two fields is encoded (the parsed one would write its unknown fields back) and compared,
        // for uniqueness only; the signature is checked over the body bytes as received.
        var canonical = new CertificateEnvelope { Body = envelope.Body, Signature = envelope.Signature };
        if (canonical.CalculateSize() != serialized.Length || !canonical.ToByteArray().AsSpan().SequenceEqual(serialized)) // public data: the certificate as received
        {
            return false;
        }
        body = envelope.Body.ToByteArray();
        signature = envelope.Signature.ToByteArray();
        return true;
    }

    /// <summary>The body's wire format, for the issuer key id only; null when it does not parse.</summary>
    internal static CertificateBodyMessage? TryParseBodyMessage(byte[] body)
    {
        try
        {
            return CertificateBodyMessage.Parser.ParseFrom(body);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>The body: version, then every field's range.</summary>
    internal static CertificateStatus TryParseBody(byte[] serialized, byte[] body, byte[] signature, out IdentityCertificate? certificate)
    {
        certificate = null;
        var message = TryParseBodyMessage(body);
        if (message is null)
        {
            return CertificateStatus.Malformed;
        }
        if (message.Version != CurrentVersion)
        {
            return CertificateStatus.UnsupportedVersion;
        }
        if (message.Username.Length is 0 or > MaxUsernameLength
            || message.IdentityKey.Length != IdentityKeySizeInBytes
            || message.IdentityKey[0] != IdentityKeyType
            || message.IssuerKeyId.Length != IssuerKeyIdSizeInBytes
            || !IsRepresentable(message.NotBeforeUnixMs)
            || !IsRepresentable(message.NotAfterUnixMs)
            || message.NotBeforeUnixMs >= message.NotAfterUnixMs)
        {
            return CertificateStatus.Malformed;
        }
        certificate = new IdentityCertificate(serialized, body, signature, message);
        return CertificateStatus.Valid;
    }

    private static bool IsRepresentable(long unixMs) =>
        unixMs >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds() && unixMs <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>Username, user id and validity (the body is public data).</summary>
    public override string ToString() =>
        $"IdentityCertificate({Username}, #{UserId}, {NotBefore:O} to {NotAfter:O})";
}
