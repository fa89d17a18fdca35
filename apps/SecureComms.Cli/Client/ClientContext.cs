using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using SecureComms.Client.Engine;
using SecureComms.Client.Local;
using SecureComms.Client.Transport;
using SecureComms.Signal;

namespace SecureComms.Cli.Client;

/// <summary>
/// What every client command shares: <c>--profile DIR</c>, <c>--server HOST:PORT</c>, <c>--ca FILE</c> (both remembered
/// in the profile once given, so later commands may leave them out) and <c>--json</c>; and the engine they make.
/// </summary>
internal sealed class ClientContext : IAsyncDisposable
{
    private const string ServerSetting = "server";
    private const string CaSetting = "ca";

    private readonly PinnedCa _ca;

    private ClientContext(ClientProfile profile, PinnedCa ca, ClientEngine engine)
    {
        Profile = profile;
        _ca = ca;
        Engine = engine;
    }

    public ClientProfile Profile { get; }

    public ClientEngine Engine { get; }

    /// <summary>The shared options (<see cref="AddTo"/> puts them on a command).</summary>
    public sealed record Options(Option<DirectoryInfo?> Profile, Option<string?> Server, Option<FileInfo?> Ca, Option<bool> Json)
    {
        public static Options Create() => new(
            new Option<DirectoryInfo?>("--profile") { Description = "The profile folder (default: $SECURECOMMS_PROFILE or ~/.securecomms)." },
            new Option<string?>("--server") { Description = "HOST:PORT of the cloud service (remembered in the profile)." },
            new Option<FileInfo?>("--ca") { Description = "The deployment's CA certificate, ca.pem from `server init` (remembered in the profile)." },
            new Option<bool>("--json") { Description = "Print JSON for scripts instead of text for people." });

        public void AddTo(Command command)
        {
            command.Options.Add(Profile);
            command.Options.Add(Server);
            command.Options.Add(Ca);
            command.Options.Add(Json);
        }
    }

    /// <summary>Opens the profile and makes its engine (not started).</summary>
    /// <exception cref="ClientUsageException">No server or CA given nor remembered, or they are malformed.</exception>
    public static ClientContext Open(ParseResult parse, Options options)
    {
        string directory = parse.GetValue(options.Profile)?.FullName
            ?? Environment.GetEnvironmentVariable("SECURECOMMS_PROFILE")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".securecomms");
        ClientProfile profile = ClientProfile.Open(directory);
        try
        {
            string server = parse.GetValue(options.Server) ?? profile.Store.GetSetting(ServerSetting)
                ?? throw new ClientUsageException("no server: give --server HOST:PORT (it is remembered in the profile)");
            string caPath = parse.GetValue(options.Ca)?.FullName ?? profile.Store.GetSetting(CaSetting)
                ?? throw new ClientUsageException("no CA: give --ca FILE, the deployment's ca.pem (it is remembered in the profile)");
            (string host, int port) = ParseServer(server);
            PinnedCa ca = PinnedCa.FromPemFile(caPath);
            profile.Store.SetSetting(ServerSetting, server);
            profile.Store.SetSetting(CaSetting, caPath);
            return new ClientContext(profile, ca, new ClientEngine(profile, new ClientEngineOptions(host, port, ca)));
        }
        catch
        {
            profile.Dispose();
            throw;
        }
    }

    private static (string Host, int Port) ParseServer(string server)
    {
        int colon = server.LastIndexOf(':');
        if (colon > 0 && int.TryParse(server.AsSpan(colon + 1), out int port) && port is > 0 and <= 65535)
        {
            string host = server[..colon].Trim('[', ']');
            if (host.Length > 0 && (IPAddress.TryParse(host, out _) || Uri.CheckHostName(host) == UriHostNameType.Dns))
            {
                return (host, port);
            }
        }
        throw new ClientUsageException($"--server '{server}' is not HOST:PORT");
    }

    /// <summary>A one-line description of a failure for people (never secrets), or null when it is a bug.</summary>
    public static string? Describe(Exception e) => e switch
    {
        ClientUsageException usage => usage.Message,
        CloudErrorException refused => $"the server refused: {refused.Code} ({refused.ServerMessage})",
        SessionEndedException ended => ended.Message,
        SignalProtocolException signal => $"private conversation failed: {signal.Reason} ({signal.Message})",
        AuthenticationException => "TLS failed: the server is not the one the CA vouches for (or not TLS 1.3)",
        SocketException or IOException or TimeoutException or CloudConnectionClosedException => $"the server cannot be reached ({e.Message})",
        UnauthorizedAccessException or InvalidOperationException or System.Security.Cryptography.CryptographicException => e.Message,
        _ => null,
    };

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync().ConfigureAwait(false);
        Profile.Dispose();
        _ca.Dispose();
    }
}

/// <summary>A command used wrongly (missing server, malformed argument).</summary>
internal sealed class ClientUsageException(string message) : Exception(message);
