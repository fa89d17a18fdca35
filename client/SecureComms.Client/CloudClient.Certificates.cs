using SecureComms.Cloud.Certificates;
using SecureComms.Client.Transport;
using SecureComms.Cloud.Proto;
using IdentityCertificate = SecureComms.Cloud.Certificates.IdentityCertificate;

namespace SecureComms.Client;

/// <summary>Identity certificates (issue 5): asking the deployment to certify this device's published identity key.</summary>
/// <remarks>
/// <para><b>What comes back.</b> The server certifies the identity key this user last published for the device
/// (<see cref="UploadPreKeysAsync"/>), never a key the request names: upload first. The answer is parsed with the
/// total, strict parser (<see cref="IdentityCertificate.TryParse(ReadOnlySpan{byte}, out IdentityCertificate?, out CertificateStatus)"/>);
/// it is not verified here.</para>
/// <para><b>Hazard.</b> A parsed certificate is a claim: a peer that receives it must check it with
/// <see cref="CertificateVerifier"/> against the deployment's pinned issuer public key (<c>issuer.pub</c>), the
/// username it expects and the identity key the peer presented. Checking one's own certificate the same way before
/// handing it out catches a server whose issuer key changed.</para>
/// </remarks>
public sealed partial class CloudClient
{
    /// <summary>Asks the server for a certificate of the identity key this user published for <paramref name="deviceId"/>.</summary>
    /// <returns>The certificate as issued (valid from now for the issuer's default validity, 7 days).</returns>
    /// <exception cref="CloudErrorException">Refused: nothing published for the device (not found), the deployment has
    /// no issuer key (unavailable), too many requests (rate limited), not signed in (unauthenticated); or the answer is
    /// not a well-formed certificate (<c>CODE_INTERNAL</c>, raised here).</exception>
    public async Task<IdentityCertificate> RequestCertificateAsync(uint deviceId, CancellationToken cancellationToken = default)
    {
        ServerFrame answer = await CallAsync(new ClientFrame { RequestCertificate = new RequestCertificate { DeviceId = deviceId } },
            ServerFrame.BodyOneofCase.CertificateIssued, cancellationToken).ConfigureAwait(false);
        return IdentityCertificate.TryParse(answer.CertificateIssued.Certificate.Span, out IdentityCertificate? certificate, out CertificateStatus error)
            ? certificate!
            : throw new CloudErrorException(Code.Internal, $"the server's certificate does not parse ({error})");
    }
}
