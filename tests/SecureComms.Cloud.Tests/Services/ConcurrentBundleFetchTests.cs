using Google.Protobuf;
using SecureComms.Client;
using SecureComms.Cloud.Proto;
using SecureComms.Crypto;
using SecureComms.Server.Services;
using SecureComms.Server.Storage;
using SecureComms.Signal;

namespace SecureComms.Cloud.Tests.Services;

/// <summary>
/// Issue 5, "fetching a bundle hands out one one-time prekey exactly once (transaction, tested under concurrent
/// fetches)", over the wire: many contacts fetch the same user's bundle at once, each over its own TLS connection,
/// through the real server; more fetches than one-time prekeys.
/// </summary>
/// <remarks>
/// The store-level property is <c>Storage/PreKeyStoreTests</c>; this one adds the handler, the per-connection
/// request loop and the pushes. Each fetcher makes fewer fetches than the per-requester burst, so the rate limit is not what bounds the hand-out: the stock is. The keys are real Curve25519 keys with a
/// real XEdDSA signature, as a client publishes them.
/// </remarks>
public sealed class ConcurrentBundleFetchTests
{
    private const uint DeviceId = 1;
    private const uint FirstOneTimePreKeyId = 1001;

    /// <summary>One-time prekeys in stock: 40.</summary>
    private const int OneTimePreKeys = 40;

    /// <summary>Fetchers, each an accepted contact of the owner on its own connection: 12...</summary>
    private const int Fetchers = 12;

    /// <summary>...each fetching 5 times at once (below <see cref="ServiceLimits.BundleFetchBurst"/>, 10, so a
    /// refusal would be a failure): 60 fetches for 40 keys.</summary>
    private const int FetchesPerFetcher = 5;

    [Fact]
    public async Task Concurrent_fetches_over_the_wire_hand_out_each_one_time_prekey_exactly_once()
    {
        await using var server = ServiceTestServer.Start(new ServiceOptions { RegistrationBurst = Fetchers + 1 }); // the accounts, from one address
        CloudClient owner = await server.SignInAsync("owner");
        var fetchers = new List<CloudClient>();
        for (int i = 0; i < Fetchers; i++)
        {
            CloudClient fetcher = await server.SignInAsync($"fetcher{i}");
            await ServiceTestServer.MakeContactsAsync(fetcher, owner);
            fetchers.Add(fetcher);
        }
        using IdentityKeyPair identity = IdentityKeyPair.Generate();
        PreKeysStored stored = await owner.UploadPreKeysAsync(Upload(identity, OneTimePreKeys));

        // Every fetch is issued before any is awaited: 12 connections, 5 requests pipelined on each.
        Task<Bundle>[] fetches = [.. fetchers.SelectMany(f => Enumerable.Range(0, FetchesPerFetcher).Select(_ => f.FetchBundleAsync("owner", DeviceId)))];
        Bundle[] bundles = await Task.WhenAll(fetches);
        uint[] handedOut = [.. bundles.Where(b => b.OneTimePreKey is not null).Select(b => b.OneTimePreKey.Id)];
        var lowStocks = new List<int>();
        for (int i = 0; i < PreKeyLimits.LowPreKeyThreshold; i++)
        {
            lowStocks.Add((await owner.ExpectAsync<PreKeysRunningLow>()).Stock);
        }
        UserId ownerId = new((await owner.FindUserAsync("owner")).UserId);
        int stockAfter = await server.Server.Store.OneTimePreKeyStockAsync(ownerId, DeviceId);

        Assert.Equal(OneTimePreKeys, stored.Stock);
        Assert.Equal(Fetchers * FetchesPerFetcher, bundles.Length);
        Assert.Equal(OneTimePreKeys, handedOut.Length); // exactly K bundles carry one...
        Assert.Equal(handedOut.Length, handedOut.Distinct().Count()); // ...no id twice...
        Assert.Equal(Enumerable.Range(0, OneTimePreKeys).Select(i => FirstOneTimePreKeyId + (uint)i), handedOut.Order()); // ...every id once
        Assert.Equal(bundles.Length - OneTimePreKeys, bundles.Count(b => b.OneTimePreKey is null)); // the rest: signed prekey only
        Assert.All(bundles, b => Assert.Equal(identity.PublicKey.Serialize(), b.IdentityKey.ToByteArray()));
        // One push per take that left the stock below the threshold: each remaining count from 9 down to 0, once.
        Assert.Equal(Enumerable.Range(0, PreKeyLimits.LowPreKeyThreshold), lowStocks.Order());
        Assert.Equal(0, stockAfter);
    }

    /// <summary>An identity key, a signed prekey signed by it (XEdDSA over its 33-byte serialization, X3DH §3.3) and
    /// <paramref name="oneTimePreKeys"/> one-time prekeys, ids from <see cref="FirstOneTimePreKeyId"/>.</summary>
    private static UploadPreKeys Upload(IdentityKeyPair identity, int oneTimePreKeys)
    {
        byte[] signedPreKey = NewPublicKey();
        var upload = new UploadPreKeys
        {
            DeviceId = DeviceId,
            RegistrationId = 4242,
            IdentityKey = ByteString.CopyFrom(identity.PublicKey.Serialize()),
            SignedPreKey = new SignedPreKeyRecord
            {
                Id = 7,
                PublicKey = ByteString.CopyFrom(signedPreKey),
                Signature = ByteString.CopyFrom(identity.Sign(signedPreKey)),
            },
        };
        for (int i = 0; i < oneTimePreKeys; i++)
        {
            upload.OneTimePreKeys.Add(new OneTimePreKeyRecord { Id = FirstOneTimePreKeyId + (uint)i, PublicKey = ByteString.CopyFrom(NewPublicKey()) });
        }
        return upload;
    }

    /// <summary>A fresh Curve25519 public key, serialized 0x05 ‖ u (its private half is discarded).</summary>
    private static byte[] NewPublicKey()
    {
        using X25519PrivateKey key = X25519PrivateKey.Generate();
        return new IdentityKey(key.PublicKey).Serialize();
    }
}
