using System.Diagnostics;
using SecureComms.Client;
using SecureComms.Client.Transport;
using SecureComms.Cloud.Proto;

namespace SecureComms.Load;

/// <summary>
/// <c>setup --server HOST:PORT --ca FILE --users N</c>: registers users <c>0..N-1</c> (see <see cref="LoadUsers"/>)
/// and makes each pair 2k → 2k + 1 accepted contacts, over the wire as a real client does. Idempotent: a
/// username already taken or a pair already in contact is left as it is, so a data directory can be reused.
/// </summary>
/// <remarks>Needs the server started with a registration burst of at least N (<c>--registration-burst</c>):
/// all registrations come from 127.0.0.1. Not timed as part of any figure; it prints its duration on stderr.</remarks>
internal static class SetupCommand
{
    public static async Task<int> RunAsync(LoadArguments args, CancellationToken cancellationToken)
    {
        var server = args.Server();
        using PinnedCa ca = PinnedCa.FromPemFile(args.Text("ca"));
        int users = args.Integer("users");
        args.RejectUnknown();
        if (users % 2 != 0)
        {
            throw new ArgumentException("--users must be even (sender, receiver pairs)");
        }

        var clock = Stopwatch.StartNew();
        var next = -1;
        var workers = Enumerable.Range(0, LoadUsers.SignInConcurrency).Select(async _ =>
        {
            await using CloudClient client = await LoadUsers.ConnectAsync(server, ca, cancellationToken).ConfigureAwait(false);
            for (int index = Interlocked.Increment(ref next); index < users; index = Interlocked.Increment(ref next))
            {
                try
                {
                    await LoadUsers.RetryThrottledAsync(async () =>
                    {
                        await client.RegisterAsync(LoadUsers.Name(index), LoadUsers.Password, cancellationToken).ConfigureAwait(false);
                        return true;
                    }, cancellationToken).ConfigureAwait(false);
                }
                catch (CloudErrorException e) when (e.Code == Code.Conflict)
                {
                    // Registered by an earlier setup.
                }
            }
        });
        await Task.WhenAll(workers).ConfigureAwait(false);
        Console.Error.WriteLine($"setup: {users} users registered in {clock.Elapsed.TotalSeconds:F1} s");

        CloudClient[] clients = await LoadUsers.SignInAllAsync(server, ca, users, cancellationToken).ConfigureAwait(false);
        try
        {
            for (int sender = 0; sender < users; sender += 2)
            {
                CloudClient from = clients[sender];
                CloudClient to = clients[sender + 1];
                IReadOnlyList<ContactEntry> contacts = await from.ListContactsAsync(cancellationToken).ConfigureAwait(false);
                if (contacts.Any(c => c.Username == to.Username && c.Status == ContactStatus.Accepted))
                {
                    continue;
                }
                await from.RequestContactAsync(to.Username!, cancellationToken).ConfigureAwait(false);
                await to.AcceptContactAsync(from.Username!, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await LoadUsers.DisposeAllAsync(clients).ConfigureAwait(false);
        }
        Console.Error.WriteLine($"setup: {users / 2} contact pairs ready after {clock.Elapsed.TotalSeconds:F1} s");
        return 0;
    }
}
