using Microsoft.Data.Sqlite;
using SecureComms.Client.Local;
using SecureComms.Cloud.Proto;

namespace SecureComms.Cloud.Tests.Client;

/// <summary>The profile folder and its database: private to its owner, and what it keeps across opens.</summary>
public sealed class ClientProfileTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "securecomms-profile-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void A_new_profile_folder_is_private_to_its_owner_and_one_open_to_others_is_refused()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes only
        }
        string fresh = Path.Combine(_root, "fresh");
        using (ClientProfile.Open(fresh))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(fresh));
        }
        string shared = Path.Combine(_root, "shared");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);

        UnauthorizedAccessException refused = Assert.Throws<UnauthorizedAccessException>(() => ClientProfile.Open(shared));
        Assert.Contains("chmod 700", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(shared, ClientProfile.ProfileFileName)));
    }

    [Fact]
    public void The_outbox_session_and_messages_survive_a_reopen_and_a_redelivery_is_recognised()
    {
        string directory = Path.Combine(_root, "p");
        var id = Guid.NewGuid();
        var incoming = Guid.NewGuid();
        using (ClientProfile profile = ClientProfile.Open(directory))
        {
            profile.Store.SaveSession(new LocalSession("alice", "secret-token", DateTimeOffset.UnixEpoch.AddDays(30)));
            profile.Store.AddOutgoing(id, "bob", "hi", isPrivate: false, [1, 2, 3], DateTimeOffset.UnixEpoch);
            Assert.NotNull(profile.Store.AddIncoming("bob", incoming, 7, "hello", false, DateTimeOffset.UnixEpoch, LocalMessageState.Received));
            Assert.Equal(1u, profile.Store.ReserveIds("k", 100));
        }
        using (ClientProfile again = ClientProfile.Open(directory))
        {
            Assert.Equal(("alice", "secret-token"), (again.Store.LoadSession()!.Username, again.Store.LoadSession()!.Token));
            OutboxEntry waiting = Assert.Single(again.Store.Outbox());
            Assert.Equal((id, "bob"), (waiting.ClientMessageId, waiting.To));
            Assert.Equal([1, 2, 3], waiting.WireBody);
            Assert.Null(again.Store.AddIncoming("bob", incoming, 7, "hello", false, DateTimeOffset.UnixEpoch, LocalMessageState.Received));
            Assert.Equal(101u, again.Store.ReserveIds("k", 1));

            again.Store.MarkSent(id, "bob", 42);
            Assert.Empty(again.Store.Outbox());
            Assert.Equal((LocalMessageState.Sent, 42L), (again.Store.FindOutgoing(id, "bob")!.State, again.Store.FindOutgoing(id, "bob")!.ServerSequence!.Value));
            again.Store.UpdatePresence("carol", Presence.Away); // a presence push comes from an accepted contact only
            Assert.Equal(new LocalContact("carol", ContactStatus.Accepted, Presence.Away), Assert.Single(again.Store.Contacts()));
            again.Store.ClearSession();
            Assert.Null(again.Store.LoadSession());
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
