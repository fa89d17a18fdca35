using Google.Protobuf;
using SecureComms.Cloud.Certificates;
using SecureComms.Cloud.Proto;
using SecureComms.Server.Storage;
using SecureComms.Server.Transport;
using IdentityCertificate = SecureComms.Cloud.Certificates.IdentityCertificate;

namespace SecureComms.Server.Services;

/// <summary>
/// RequestCertificate (issue 5): the deployment's <see cref="CertificateIssuer"/> signs (username, user id, identity
/// key, validity) for the signed-in user, so that peers can later prove who they are to each other on a direct
/// channel without the server in the path.
/// </summary>
/// <remarks>
/// <para><b>Which key.</b> Only the identity key the signed-in user published for the device
/// (<see cref="IServerStore.IdentityKeyOfAsync"/>), never a key named in the request: the certificate binds the
/// authenticated account to a key that account uploaded, and the upload proved possession (the signed prekey's
/// XEdDSA signature is checked at upload, <see cref="PreKeyHandlers"/>). A re-upload with another identity key makes
/// later certificates carry the new key; certificates already issued for the old key stay valid until they expire
/// (there is no revocation list: validity is <see cref="CertificateIssuer.DefaultValidity"/>, 7 days).</para>
/// <para><b>Answers.</b> <c>CertificateIssued</c> (the serialized certificate); <c>CODE_NOT_FOUND</c> when nothing is
/// published for the device; <c>CODE_UNAVAILABLE</c> when the deployment has no issuer key (one made before issue 5);
/// <c>CODE_RATE_LIMITED</c> past <see cref="ServiceLimits.CertificateIssueBurst"/> per user; <c>CODE_INTERNAL</c> if the
/// stored key is not a Curve25519 identity key (the upload checks make that impossible; the answer stays total).</para>
/// <para><b>Hazards.</b> The issuer key is the deployment's most sensitive secret after the CA key: whoever holds it
/// can certify any key for any user. The handler never logs it or the certificate.</para>
/// </remarks>
internal sealed class CertificateHandlers(IServerStore store, PresenceHub hub, CertificateIssuer? issuer, TimeProvider time, ServiceOptions options)
{
    private readonly RateLimiter<UserId> _issues = new(options.CertificateIssueBurst, options.CertificateIssuesPerSecond, options.TimeProvider);

    public void Register(FrameDispatcher dispatcher) =>
        dispatcher.Register(ClientFrame.BodyOneofCase.RequestCertificate, DelegateHandler.Authenticated(hub, IssueAsync));

    private async Task<ServerFrame> IssueAsync(ClientSession session, ClientFrame request, CancellationToken cancellationToken)
    {
        if (issuer is null)
        {
            return Answers.Error(Code.Unavailable, "this deployment has no certificate issuer key");
        }
        if (!_issues.TryTake(session.User))
        {
            return Answers.Error(Code.RateLimited, "too many certificate requests; retry later");
        }
        byte[]? identityKey = await store.IdentityKeyOfAsync(session.User, request.RequestCertificate.DeviceId, cancellationToken).ConfigureAwait(false);
        if (identityKey is null)
        {
            return Answers.Error(Code.NotFound, "the device has published no identity key");
        }
        if (identityKey.Length != IdentityCertificate.IdentityKeySizeInBytes || identityKey[0] != IdentityCertificate.IdentityKeyType)
        {
            return Answers.Error(Code.Internal, "the published identity key cannot be certified");
        }
        IdentityCertificate certificate = issuer.Issue(session.Username, checked((ulong)session.User.Value), identityKey, time.GetUtcNow());
        return new ServerFrame { CertificateIssued = new CertificateIssued { Certificate = ByteString.CopyFrom(certificate.Serialized) } };
    }
}
