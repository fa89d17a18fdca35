using Google.Protobuf;
using SecureComms.Client;
using SecureComms.Client.Transport;
using SecureComms.Cloud.Certificates;
using SecureComms.Cloud.Proto;
using SecureComms.Crypto;
using SecureComms.Server.Services;
using IdentityCertificate = SecureComms.Cloud.Certificates.IdentityCertificate;

namespace SecureComms.Cloud.Tests.Services;

/// <summary>Identity certificates over the wire (issue 5): RequestCertificate, and the upload check that makes a certified
/// key one its owner can sign with.</summary>
public sealed class CertificateFlowTests
{
    private static CertificateVerification Verify(IdentityCertificate certificate, Ed25519PublicKey issuer, string username, byte[]? identityKey) =>
        CertificateVerifier.Verify(certificate, issuer, username, identityKey, DateTimeOffset.UtcNow, CertificateVerifier.DefaultClockSkew);

    [Fact]
    public async Task Issued_certificate_verifies_with_the_deployment_issuer_key_for_exactly_that_user_id_and_key()
    {
        await using var server = ServiceTestServer.Start();
        var alice = await server.SignInAsync("alice");
        var bob = await server.SignInAsync("bob");
        using X25519PrivateKey identity = X25519PrivateKey.Generate();
        using X25519PrivateKey bobsIdentity = X25519PrivateKey.Generate();
        byte[] identityKey = PreKeyFlowTests.Serialized(identity.PublicKey);
        await alice.UploadPreKeysAsync(PreKeyFlowTests.Keys(1, identity));
        await bob.UploadPreKeysAsync(PreKeyFlowTests.Keys(1, bobsIdentity));
        long aliceId = (await alice.FindUserAsync("alice")).UserId;
        Ed25519PublicKey issuer = server.Deployment.Files.LoadIssuerPublicKey();
        using Ed25519PrivateKey otherIssuer = Ed25519PrivateKey.Generate();

        IdentityCertificate certificate = await alice.RequestCertificateAsync(1);
        IdentityCertificate bobs = await bob.RequestCertificateAsync(1);

        Assert.Equal(CertificateStatus.Valid, Verify(certificate, issuer, "alice", identityKey).Status);
        Assert.Equal(("alice", (ulong)aliceId), (certificate.Username, certificate.UserId));
        Assert.Equal(identityKey, certificate.IdentityKey.ToArray());
        Assert.Equal(CertificateIssuer.DefaultValidity, certificate.NotAfter - certificate.NotBefore);
        Assert.Equal(CertificateStatus.WrongUser, Verify(certificate, issuer, "bob", identityKey).Status);
        Assert.Equal(CertificateStatus.WrongUser, Verify(bobs, issuer, "alice", PreKeyFlowTests.Serialized(bobsIdentity.PublicKey)).Status);
        Assert.Equal(CertificateStatus.KeyMismatch, Verify(certificate, issuer, "alice", PreKeyFlowTests.Serialized(bobsIdentity.PublicKey)).Status);
        Assert.NotEqual((ulong)aliceId, bobs.UserId);
        Assert.Equal(CertificateStatus.WrongIssuer, Verify(certificate, otherIssuer.PublicKey, "alice", identityKey).Status);
    }

    [Fact]
    public async Task Not_issued_before_an_upload_and_a_reupload_with_another_identity_key_is_what_the_next_certificate_carries()
    {
        await using var server = ServiceTestServer.Start();
        var alice = await server.SignInAsync("alice");
        using X25519PrivateKey first = X25519PrivateKey.Generate();
        using X25519PrivateKey second = X25519PrivateKey.Generate();
        Ed25519PublicKey issuer = server.Deployment.Files.LoadIssuerPublicKey();

        var beforeUpload = await Assert.ThrowsAsync<CloudErrorException>(() => alice.RequestCertificateAsync(1));
        await alice.UploadPreKeysAsync(PreKeyFlowTests.Keys(1, first));
        IdentityCertificate old = await alice.RequestCertificateAsync(1);
        var otherDevice = await Assert.ThrowsAsync<CloudErrorException>(() => alice.RequestCertificateAsync(2));
        await alice.UploadPreKeysAsync(PreKeyFlowTests.Keys(1, second));
        IdentityCertificate renewed = await alice.RequestCertificateAsync(1);

        Assert.Equal(Code.NotFound, beforeUpload.Code);
        Assert.Equal(Code.NotFound, otherDevice.Code);
        Assert.Equal(PreKeyFlowTests.Serialized(first.PublicKey), old.IdentityKey.ToArray());
        Assert.Equal(PreKeyFlowTests.Serialized(second.PublicKey), renewed.IdentityKey.ToArray());
        Assert.Equal(CertificateStatus.Valid, Verify(renewed, issuer, "alice", PreKeyFlowTests.Serialized(second.PublicKey)).Status);
        Assert.Equal(CertificateStatus.KeyMismatch, Verify(renewed, issuer, "alice", PreKeyFlowTests.Serialized(first.PublicKey)).Status);
    }

    [Fact]
    public async Task Unauthenticated_is_refused_and_a_deployment_without_issuer_answers_unavailable()
    {
        await using var server = ServiceTestServer.Start(issuer: false);
        var stranger = await server.ConnectAsync();
        var alice = await server.SignInAsync("alice");
        await alice.UploadPreKeysAsync(PreKeyFlowTests.Keys(1));

        var unauthenticated = await Assert.ThrowsAsync<CloudErrorException>(() => stranger.RequestCertificateAsync(1));
        var unavailable = await Assert.ThrowsAsync<CloudErrorException>(() => alice.RequestCertificateAsync(1));

        Assert.Equal(Code.Unauthenticated, unauthenticated.Code);
        Assert.Equal(Code.Unavailable, unavailable.Code);
    }

    [Fact]
    public async Task Certificates_are_rate_limited_per_user()
    {
        await using var server = ServiceTestServer.Start(new ServiceOptions { CertificateIssueBurst = 2 });
        var alice = await server.SignInAsync("alice");
        var aliceElsewhere = await server.SignInAsync("alice", register: false);
        var bob = await server.SignInAsync("bob");
        await alice.UploadPreKeysAsync(PreKeyFlowTests.Keys(1));
        await bob.UploadPreKeysAsync(PreKeyFlowTests.Keys(1));

        await alice.RequestCertificateAsync(1);
        await aliceElsewhere.RequestCertificateAsync(1);
        var limited = await Assert.ThrowsAsync<CloudErrorException>(() => alice.RequestCertificateAsync(1));
        IdentityCertificate bobs = await bob.RequestCertificateAsync(1);

        Assert.Equal(Code.RateLimited, limited.Code);
        Assert.Equal("bob", bobs.Username);
    }

    [Fact]
    public async Task Upload_with_a_signed_prekey_not_signed_by_the_identity_key_is_refused_and_nothing_is_published()
    {
        await using var server = ServiceTestServer.Start();
        var alice = await server.SignInAsync("alice");
        using X25519PrivateKey identity = X25519PrivateKey.Generate();
        using X25519PrivateKey impostor = X25519PrivateKey.Generate();
        UploadPreKeys forged = PreKeyFlowTests.Keys(1, impostor);
        forged.IdentityKey = ByteString.CopyFrom(PreKeyFlowTests.Serialized(identity.PublicKey)); // signed by another key
        UploadPreKeys tampered = PreKeyFlowTests.Keys(1, identity);
        byte[] signature = tampered.SignedPreKey.Signature.ToByteArray();
        signature[0] ^= 1;
        tampered.SignedPreKey.Signature = ByteString.CopyFrom(signature);
        UploadPreKeys untyped = PreKeyFlowTests.Keys(1, identity);
        untyped.IdentityKey = ByteString.CopyFrom(identity.PublicKey.Bytes); // 32 bytes, no 0x05

        var refusedForged = await Assert.ThrowsAsync<CloudErrorException>(() => alice.UploadPreKeysAsync(forged));
        var refusedTampered = await Assert.ThrowsAsync<CloudErrorException>(() => alice.UploadPreKeysAsync(tampered));
        var refusedUntyped = await Assert.ThrowsAsync<CloudErrorException>(() => alice.UploadPreKeysAsync(untyped));
        var nothingPublished = await Assert.ThrowsAsync<CloudErrorException>(() => alice.RequestCertificateAsync(1));
        PreKeysStored genuine = await alice.UploadPreKeysAsync(PreKeyFlowTests.Keys(1, identity));

        Assert.Equal(Code.BadRequest, refusedForged.Code);
        Assert.Equal(Code.BadRequest, refusedTampered.Code);
        Assert.Equal(Code.BadRequest, refusedUntyped.Code);
        Assert.Equal(Code.NotFound, nothingPublished.Code);
        Assert.Equal(1, genuine.Stock);
    }
}
