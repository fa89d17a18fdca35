using System.Collections.Concurrent;
using SecureComms.Server.Storage;

namespace SecureComms.Cloud.Tests.Storage;

/// <summary>The prekey directory: upload, one-time prekeys handed out exactly once, low stock, refusals.</summary>
public sealed class PreKeyStoreTests : StoreTestBase
{
    private static readonly byte[] Identity = Key(0xA0);

    [Fact]
    public async Task A_bundle_carries_the_uploaded_keys_and_one_one_time_prekey_which_is_then_gone()
    {
        UserId bob = await UserAsync("bob");
        PreKeyUploadResult uploaded = await Store.UploadPreKeysAsync(bob, 1, Upload(Identity, 1, 2, 3));
        Assert.Equal(new PreKeyUploadResult(PreKeyUploadStatus.Stored, 3), uploaded);

        StoredPreKeyBundle bundle = (await Store.TakeBundleAsync(bob, 1))!;
        Assert.Equal(bob, bundle.Owner);
        Assert.Equal(1u, bundle.DeviceId);
        Assert.Equal(4242u, bundle.RegistrationId);
        Assert.Equal(Identity, bundle.IdentityKey);
        Assert.Equal(7u, bundle.SignedPreKey.Id);
        Assert.Equal(Key(0x70), bundle.SignedPreKey.PublicKey);
        Assert.Equal(Signature(), bundle.SignedPreKey.Signature);
        Assert.Equal(1u, bundle.OneTimePreKey!.Id);
        Assert.Equal(Key(1), bundle.OneTimePreKey.PublicKey);
        Assert.Equal(2, bundle.RemainingOneTimePreKeys);
        Assert.Equal(2, await Store.OneTimePreKeyStockAsync(bob, 1));

        Assert.Equal(2u, (await Store.TakeBundleAsync(bob, 1))!.OneTimePreKey!.Id);
        Assert.Equal(3u, (await Store.TakeBundleAsync(bob, 1))!.OneTimePreKey!.Id);
        StoredPreKeyBundle drained = (await Store.TakeBundleAsync(bob, 1))!;
        Assert.Null(drained.OneTimePreKey); // falls back to a bundle without one
        Assert.Equal(Identity, drained.IdentityKey);
        Assert.Equal(0, drained.RemainingOneTimePreKeys);
    }

    [Fact]
    public async Task No_bundle_for_a_device_or_user_that_published_nothing()
    {
        UserId bob = await UserAsync("bob");
        await Store.UploadPreKeysAsync(bob, 1, Upload(Identity, 1));
        Assert.Null(await Store.TakeBundleAsync(bob, 2));
        Assert.Null(await Store.TakeBundleAsync(new UserId(999), 1));
        Assert.Equal(0, await Store.OneTimePreKeyStockAsync(bob, 2));
        Assert.Equal(1, await Store.OneTimePreKeyStockAsync(bob, 1));
    }

    [Fact]
    public async Task Concurrent_fetches_hand_out_every_one_time_prekey_exactly_once_then_none()
    {
        UserId bob = await UserAsync("bob");
        const int stock = 50;
        await Store.UploadPreKeysAsync(bob, 1, Upload(Identity, Enumerable.Range(1, stock).Select(i => (uint)i).ToArray()));

        var handedOut = new ConcurrentBag<uint>();
        int withoutOneTimeKey = 0;
        Task[] fetchers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 5; i++)
            {
                StoredPreKeyBundle bundle = (await Store.TakeBundleAsync(bob, 1))!;
                if (bundle.OneTimePreKey is { } key)
                {
                    Assert.Equal(Key((byte)key.Id), key.PublicKey);
                    handedOut.Add(key.Id);
                }
                else
                {
                    Interlocked.Increment(ref withoutOneTimeKey);
                }
            }
        })).ToArray();
        await Task.WhenAll(fetchers);

        Assert.Equal(stock, handedOut.Count);
        Assert.Equal(Enumerable.Range(1, stock).Select(i => (uint)i), handedOut.Order());
        Assert.Equal(16 * 5 - stock, withoutOneTimeKey);
        Assert.Equal(0, await Store.OneTimePreKeyStockAsync(bob, 1));
    }

    [Fact]
    public async Task The_owner_is_told_when_the_stock_runs_low()
    {
        UserId bob = await UserAsync("bob");
        int initial = PreKeyLimits.LowPreKeyThreshold + 2;
        await Store.UploadPreKeysAsync(bob, 1, Upload(Identity, Enumerable.Range(1, initial).Select(i => (uint)i).ToArray()));
        var signals = new List<bool>();
        for (int i = 0; i < 4; i++)
        {
            signals.Add((await Store.TakeBundleAsync(bob, 1))!.IsStockLow);
        }
        // Remaining after each: threshold + 1, threshold, threshold − 1, threshold − 2.
        Assert.Equal([false, false, true, true], signals);
    }

    [Fact]
    public async Task A_new_upload_replaces_the_signed_prekey_adds_to_the_stock_and_replaces_same_ids()
    {
        UserId bob = await UserAsync("bob");
        await Store.UploadPreKeysAsync(bob, 1, Upload(Identity, 1, 2));
        var again = new PreKeyUpload(4242, Identity, new SignedPreKey(8, Key(0x80), Signature()),
            [new OneTimePreKey(2, Key(0x22)), new OneTimePreKey(3, Key(3))]);
        Assert.Equal(new PreKeyUploadResult(PreKeyUploadStatus.Stored, 3), await Store.UploadPreKeysAsync(bob, 1, again));

        StoredPreKeyBundle first = (await Store.TakeBundleAsync(bob, 1))!;
        Assert.Equal(8u, first.SignedPreKey.Id);
        Assert.Equal(Key(0x80), first.SignedPreKey.PublicKey);
        Assert.Equal(1u, first.OneTimePreKey!.Id);
        Assert.Equal(Key(0x22), (await Store.TakeBundleAsync(bob, 1))!.OneTimePreKey!.PublicKey);
    }

    [Fact]
    public async Task A_changed_identity_key_drops_the_old_stock()
    {
        UserId bob = await UserAsync("bob");
        await Store.UploadPreKeysAsync(bob, 1, Upload(Identity, 1, 2, 3));
        Assert.Equal(new PreKeyUploadResult(PreKeyUploadStatus.Stored, 1), await Store.UploadPreKeysAsync(bob, 1, Upload(Key(0xB0), 9)));
        StoredPreKeyBundle bundle = (await Store.TakeBundleAsync(bob, 1))!;
        Assert.Equal(Key(0xB0), bundle.IdentityKey);
        Assert.Equal(9u, bundle.OneTimePreKey!.Id);
    }

    [Fact]
    public async Task Devices_are_separate_and_listed()
    {
        UserId bob = await UserAsync("bob");
        await Store.UploadPreKeysAsync(bob, 3, Upload(Identity, 1));
        await Store.UploadPreKeysAsync(bob, 1, Upload(Key(0xB0), 1));
        Assert.Equal([1u, 3u], await Store.DevicesOfAsync(bob));
        Assert.Equal(Key(0xB0), (await Store.TakeBundleAsync(bob, 1))!.IdentityKey);
        Assert.Equal(1, await Store.OneTimePreKeyStockAsync(bob, 3));
    }

    [Fact]
    public async Task Uploads_are_refused_for_missing_users_a_full_stock_and_malformed_keys()
    {
        UserId bob = await UserAsync("bob");
        Assert.Equal(PreKeyUploadStatus.NoSuchUser, (await Store.UploadPreKeysAsync(new UserId(999), 1, Upload(Identity, 1))).Status);

        for (uint batch = 0; batch < PreKeyLimits.MaxOneTimePreKeyStock / PreKeyLimits.MaxOneTimePreKeysPerUpload; batch++)
        {
            uint[] ids = Enumerable.Range(0, PreKeyLimits.MaxOneTimePreKeysPerUpload).Select(i => (batch * 1000) + (uint)i).ToArray();
            Assert.Equal(PreKeyUploadStatus.Stored, (await Store.UploadPreKeysAsync(bob, 1, Upload(Identity, ids))).Status);
        }
        Assert.Equal(new PreKeyUploadResult(PreKeyUploadStatus.StockFull, PreKeyLimits.MaxOneTimePreKeyStock), await Store.UploadPreKeysAsync(bob, 1, Upload(Identity, 99_999)));
        Assert.Equal(PreKeyUploadStatus.Stored, (await Store.UploadPreKeysAsync(bob, 1, Upload(Identity, 0))).Status); // a replacement does not grow the stock

        uint[] tooMany = Enumerable.Range(0, PreKeyLimits.MaxOneTimePreKeysPerUpload + 1).Select(i => (uint)i).ToArray();
        await Assert.ThrowsAsync<ArgumentException>(() => Store.UploadPreKeysAsync(bob, 2, Upload(Identity, tooMany)));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.UploadPreKeysAsync(bob, 2, Upload(Identity, 1, 1)));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.UploadPreKeysAsync(bob, 2, Upload([], 1)));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.UploadPreKeysAsync(bob, 2, Upload(new byte[PreKeyLimits.MaxKeySizeInBytes + 1], 1)));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.UploadPreKeysAsync(bob, 2,
            new PreKeyUpload(1, Identity, new SignedPreKey(1, Key(1), []), [])));
        Assert.Equal([1u], await Store.DevicesOfAsync(bob));
    }

    [Fact]
    public async Task The_directory_survives_a_reopen()
    {
        UserId bob = await UserAsync("bob");
        await Store.UploadPreKeysAsync(bob, 1, Upload(Identity, 1, 2));
        await Store.TakeBundleAsync(bob, 1);
        Reopen();
        StoredPreKeyBundle bundle = (await Store.TakeBundleAsync(bob, 1))!;
        Assert.Equal(2u, bundle.OneTimePreKey!.Id);
        Assert.Equal(0, bundle.RemainingOneTimePreKeys);
    }

    private static PreKeyUpload Upload(byte[] identity, params uint[] oneTimeIds) =>
        new(4242, identity, new SignedPreKey(7, Key(0x70), Signature()), oneTimeIds.Select(id => new OneTimePreKey(id, Key(unchecked((byte)id)))).ToArray());

    private static byte[] Key(byte marker)
    {
        byte[] key = new byte[33];
        key[0] = 0x05;
        key[1] = marker;
        return key;
    }

    private static byte[] Signature() => Enumerable.Repeat((byte)0x5A, 64).ToArray();
}
