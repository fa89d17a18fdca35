using Google.Protobuf;
using SecureComms.Client;
using SecureComms.Client.Transport;
using SecureComms.Cloud.Proto;
using SecureComms.Crypto;
using SecureComms.Server.Services;

namespace SecureComms.Cloud.Tests.Services;

/// <summary>The prekey directory over the wire.</summary>
public sealed class PreKeyFlowTests
{
    /// <summary>An upload for device 1 with a fresh identity key (or <paramref name="identity"/>) and a signed prekey
    /// that it really signed (XEdDSA over 0x05 ‖ u), as the server checks at upload.</summary>
    internal static UploadPreKeys Keys(int oneTimeKeys, X25519PrivateKey? identity = null)
    {
        using X25519PrivateKey fresh = X25519PrivateKey.Generate();
        using X25519PrivateKey signedPreKey = X25519PrivateKey.Generate();
        X25519PrivateKey signer = identity ?? fresh;
        byte[] signedPreKeyBytes = Serialized(signedPreKey.PublicKey);
        byte[] signature = new byte[XEdDsa.SignatureSizeInBytes];
        XEdDsa.Sign(signer, signedPreKeyBytes, signature);
        var upload = new UploadPreKeys
        {
            DeviceId = 1,
            RegistrationId = 4242,
            IdentityKey = ByteString.CopyFrom(Serialized(signer.PublicKey)),
            SignedPreKey = new SignedPreKeyRecord
            {
                Id = 7,
                PublicKey = ByteString.CopyFrom(signedPreKeyBytes),
                Signature = ByteString.CopyFrom(signature),
            },
        };
        for (uint i = 1; i <= oneTimeKeys; i++)
        {
            upload.OneTimePreKeys.Add(new OneTimePreKeyRecord { Id = 100 + i, PublicKey = ByteString.CopyFrom(Enumerable.Repeat((byte)i, 33).ToArray()) });
        }
        return upload;
    }

    /// <summary>A Curve25519 public key as Signal serializes it: 0x05 ‖ u.</summary>
    internal static byte[] Serialized(X25519PublicKey key) => [0x05, .. key.Bytes];

    [Fact]
    public async Task Fetch_hands_out_each_one_time_key_once_then_none_and_tells_the_owner_when_low()
    {
        await using var server = ServiceTestServer.Start(new ServiceOptions { BundleFetchBurst = 100 });
        var alice = await server.SignInAsync("alice");
        var bob = await server.SignInAsync("bob");
        await ServiceTestServer.MakeContactsAsync(alice, bob);

        var stored = await alice.UploadPreKeysAsync(Keys(11));
        var first = await bob.FetchBundleAsync("alice", 1);
        var second = await bob.FetchBundleAsync("alice", 1);
        var low = await alice.ExpectAsync<PreKeysRunningLow>();
        for (int i = 0; i < 9; i++)
        {
            await bob.FetchBundleAsync("alice", 1);
        }
        var drained = await bob.FetchBundleAsync("alice", 1);

        Assert.Equal((11, false), (stored.Stock, stored.Low));
        Assert.Equal((4242u, 7u), (first.RegistrationId, first.SignedPreKey.Id));
        Assert.NotNull(first.OneTimePreKey);
        Assert.NotEqual(first.OneTimePreKey.Id, second.OneTimePreKey.Id);
        Assert.Equal(new PreKeysRunningLow(1, 9), low); // 10 left after the first fetch is not low; 9 is
        Assert.Null(drained.OneTimePreKey);
        Assert.Equal(33, drained.IdentityKey.Length);
    }

    [Fact]
    public async Task Upload_refuses_bad_sizes_and_fetch_needs_a_contact_and_published_keys()
    {
        await using var server = ServiceTestServer.Start();
        var alice = await server.SignInAsync("alice");
        var bob = await server.SignInAsync("bob");
        var carol = await server.SignInAsync("carol");
        await ServiceTestServer.MakeContactsAsync(alice, bob);
        var oversized = Keys(1);
        oversized.IdentityKey = ByteString.CopyFrom(new byte[65]);

        var badUpload = await Assert.ThrowsAsync<CloudErrorException>(() => alice.UploadPreKeysAsync(oversized));
        var nothingPublished = await Assert.ThrowsAsync<CloudErrorException>(() => bob.FetchBundleAsync("alice", 1));
        await alice.UploadPreKeysAsync(Keys(1));
        var stranger = await Assert.ThrowsAsync<CloudErrorException>(() => carol.FetchBundleAsync("alice", 1));
        var otherDevice = await Assert.ThrowsAsync<CloudErrorException>(() => bob.FetchBundleAsync("alice", 2));

        Assert.Equal(Code.BadRequest, badUpload.Code);
        Assert.Equal(Code.NotFound, nothingPublished.Code);
        Assert.Equal(Code.Forbidden, stranger.Code);
        Assert.Equal(Code.NotFound, otherDevice.Code);
    }

    [Fact]
    public async Task Fetches_are_rate_limited_per_requester()
    {
        await using var server = ServiceTestServer.Start(new ServiceOptions { BundleFetchBurst = 3 });
        var alice = await server.SignInAsync("alice");
        var bob = await server.SignInAsync("bob");
        var carol = await server.SignInAsync("carol");
        await ServiceTestServer.MakeContactsAsync(alice, bob);
        await ServiceTestServer.MakeContactsAsync(alice, carol);
        await alice.UploadPreKeysAsync(Keys(20));

        for (int i = 0; i < 3; i++)
        {
            Assert.NotNull((await bob.FetchBundleAsync("alice", 1)).OneTimePreKey);
        }
        var limited = await Assert.ThrowsAsync<CloudErrorException>(() => bob.FetchBundleAsync("alice", 1));
        var bobElsewhere = await server.SignInAsync("bob", register: false);
        var limitedElsewhere = await Assert.ThrowsAsync<CloudErrorException>(() => bobElsewhere.FetchBundleAsync("alice", 1));
        var carolsFetch = await carol.FetchBundleAsync("alice", 1);

        Assert.Equal(Code.RateLimited, limited.Code);
        Assert.Equal(Code.RateLimited, limitedElsewhere.Code); // per user, not per connection
        Assert.NotNull(carolsFetch.OneTimePreKey);
        Assert.Equal(16, await server.Server.Store.OneTimePreKeyStockAsync(new Server.Storage.UserId((await alice.FindUserAsync("alice")).UserId), 1));
    }
}
