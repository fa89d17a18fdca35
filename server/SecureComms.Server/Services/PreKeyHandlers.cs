using Google.Protobuf;
using SecureComms.Cloud.Proto;
using SecureComms.Server.Storage;
using SecureComms.Server.Transport;

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
/// <para>The server checks sizes, not signatures: the fetching client verifies the signed prekey.</para>
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
