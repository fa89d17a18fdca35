using Google.Protobuf;
using SecureComms.Cloud.Proto;
using SecureComms.Crypto;
using SecureComms.Server.Storage;
using SecureComms.Server.Transport;
using IdentityCertificate = SecureComms.Cloud.Certificates.IdentityCertificate;

namespace SecureComms.Server.Services;

/// <summary>
/// The prekey directory: UploadPreKeys and FetchBundle (X3DH §3.2, §4.7).
/// </summary>
/// <remarks>
/// <para><b>Fetch policy.</b> Only an accepted contact's bundle may be fetched (messages go only between
/// accepted contacts, so a stranger has no use for one), and fetches are rate-limited per requesting user
/// (<see cref="ServiceLimits.BundleFetchBurst"/>, <see cref="ServiceLimits.BundleFetchesPerSecond"/>): together
/// they bound one-time prekey draining. Each fetch hands out at most one one-time prekey, deleted in the same
/// transaction (<see cref="IServerStore.TakeBundleAsync"/>); a drained stock gives a bundle without one.</para>
/// <para><b>Low stock.</b> When a fetch takes a one-time prekey and leaves fewer than
/// <see cref="PreKeyLimits.LowPreKeyThreshold"/>, the owner's live connections get <c>PreKeysLow</c>; an
/// upload's answer says the same (<c>PreKeysStored.low</c>), for an owner that was offline.</para>
/// <para><b>Proof of possession at upload.</b> The identity key and the signed prekey must be Curve25519 keys
/// (<c>0x05 ‖ u</c>, u canonical) and the signed prekey's signature the identity key's XEdDSA signature over the
/// signed prekey's 33 bytes (X3DH §3.3, as <c>PreKeyBundle.HasValidSignature</c> checks it); otherwise
/// <c>CODE_BAD_REQUEST</c> and nothing is stored. So every identity key in the directory is one whose uploader could
/// sign with it, and an identity certificate (<see cref="CertificateHandlers"/>), which certifies the directory's key,
/// never binds an account to a key it does not hold. The fetching client verifies the signature again (X3DH §3.2):
/// it trusts the server for availability, not for keys.</para>
/// </remarks>
internal sealed class PreKeyHandlers(IServerStore store, PresenceHub hub, ServiceOptions options)
{
    private readonly RateLimiter<UserId> _fetches = new(options.BundleFetchBurst, options.BundleFetchesPerSecond, options.TimeProvider);

    public void Register(FrameDispatcher dispatcher)
    {
        dispatcher.Register(ClientFrame.BodyOneofCase.UploadPreKeys, DelegateHandler.Authenticated(hub, UploadAsync));
        dispatcher.Register(ClientFrame.BodyOneofCase.FetchBundle, DelegateHandler.Authenticated(hub, FetchAsync));
    }

    private async Task<ServerFrame> UploadAsync(ClientSession session, ClientFrame request, CancellationToken cancellationToken)
    {
        UploadPreKeys upload = request.UploadPreKeys;
        if (upload.SignedPreKey is null)
        {
            return Answers.Error(Code.BadRequest, "signed_pre_key is required");
        }
        if (!IsCurve25519Key(upload.IdentityKey.Span, out X25519PublicKey? identity) || !IsCurve25519Key(upload.SignedPreKey.PublicKey.Span, out _))
        {
            return Answers.Error(Code.BadRequest, $"the identity key and the signed prekey must be 0x05 followed by a canonical {X25519PublicKey.SizeInBytes}-byte key");
        }
        if (!XEdDsa.Verify(identity!, upload.SignedPreKey.PublicKey.Span, upload.SignedPreKey.Signature.Span))
        {
            return Answers.Error(Code.BadRequest, "the signed prekey's signature does not verify under the identity key");
        }
        var keys = new PreKeyUpload(
            upload.RegistrationId,
            upload.IdentityKey.ToByteArray(),
            new SignedPreKey(upload.SignedPreKey.Id, upload.SignedPreKey.PublicKey.ToByteArray(), upload.SignedPreKey.Signature.ToByteArray()),
            [.. upload.OneTimePreKeys.Select(k => new OneTimePreKey(k.Id, k.PublicKey.ToByteArray()))]);
        PreKeyUploadResult result;
        try
        {
            result = await store.UploadPreKeysAsync(session.User, upload.DeviceId, keys, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            return Answers.Error(Code.BadRequest,
                $"a key is empty or over {PreKeyLimits.MaxKeySizeInBytes} bytes, a signature over {PreKeyLimits.MaxSignatureSizeInBytes}, or over {PreKeyLimits.MaxOneTimePreKeysPerUpload} one-time prekeys");
        }
        return result.Status switch
        {
            PreKeyUploadStatus.Stored => new ServerFrame
            {
                PreKeysStored = new PreKeysStored { Stock = result.Stock, Low = result.Stock < PreKeyLimits.LowPreKeyThreshold },
            },
            PreKeyUploadStatus.StockFull => Answers.Error(Code.Conflict, $"over {PreKeyLimits.MaxOneTimePreKeyStock} one-time prekeys in stock"),
            _ => Answers.NoSuchUser(),
        };
    }

    /// <summary>Whether <paramref name="encoded"/> is a serialized Curve25519 key, <c>0x05 ‖ u</c> with u &lt; p; its u if so.</summary>
    private static bool IsCurve25519Key(ReadOnlySpan<byte> encoded, out X25519PublicKey? key)
    {
        key = null;
        if (encoded.Length != IdentityCertificate.IdentityKeySizeInBytes || encoded[0] != IdentityCertificate.IdentityKeyType
            || !X25519PublicKey.TryDecode(encoded[1..], out X25519PublicKey? decoded) || !decoded!.IsCanonical)
        {
            return false;
        }
        key = decoded;
        return true;
    }

    private async Task<ServerFrame> FetchAsync(ClientSession session, ClientFrame request, CancellationToken cancellationToken)
    {
        FetchBundle fetch = request.FetchBundle;
        if (Answers.Normalize(fetch.Username) is not { } name
            || await store.FindAccountAsync(name, cancellationToken).ConfigureAwait(false) is not { } owner)
        {
            return Answers.NoSuchUser();
        }
        if (owner.Id != session.User && !await store.AreAcceptedContactsAsync(session.User, owner.Id, cancellationToken).ConfigureAwait(false))
        {
            return Answers.Error(Code.Forbidden, "bundles are given to accepted contacts only");
        }
        if (!_fetches.TryTake(session.User))
        {
            return Answers.Error(Code.RateLimited, "too many bundle fetches; retry later");
        }
        StoredPreKeyBundle? bundle = await store.TakeBundleAsync(owner.Id, fetch.DeviceId, cancellationToken).ConfigureAwait(false);
        if (bundle is null)
        {
            return Answers.Error(Code.NotFound, "the device has published no keys");
        }
        if (bundle.OneTimePreKey is not null && bundle.IsStockLow)
        {
            hub.PushTo(owner.Id, new ServerFrame { PreKeysLow = new PreKeysLow { DeviceId = bundle.DeviceId, Stock = bundle.RemainingOneTimePreKeys } });
        }
        var answer = new Bundle
        {
            Username = owner.Username,
            DeviceId = bundle.DeviceId,
            RegistrationId = bundle.RegistrationId,
            IdentityKey = ByteString.CopyFrom(bundle.IdentityKey),
            SignedPreKey = new SignedPreKeyRecord
            {
                Id = bundle.SignedPreKey.Id,
                PublicKey = ByteString.CopyFrom(bundle.SignedPreKey.PublicKey),
                Signature = ByteString.CopyFrom(bundle.SignedPreKey.Signature),
            },
        };
        if (bundle.OneTimePreKey is { } otk)
        {
            answer.OneTimePreKey = new OneTimePreKeyRecord { Id = otk.Id, PublicKey = ByteString.CopyFrom(otk.PublicKey) };
        }
        return new ServerFrame { Bundle = answer };
    }
}
