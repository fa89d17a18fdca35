using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using SecureComms.Server.Services;
using SecureComms.Server.Tls;
using SecureComms.Server.Transport;

namespace SecureComms.Cli;

/// <summary>
/// <c>securecomms server init --data DIR [--name HOST]...</c>: creates the deployment's CA and server certificate
/// in DIR (refuses an existing deployment). <c>securecomms server run --data DIR --listen ADDRESS:PORT</c>: runs
/// the cloud service (TLS 1.3; data in DIR/server.db) until Ctrl-C or SIGTERM. See <c>server/README.md</c>.
/// </summary>
internal static class ServerCommand
{
    private const int Failure = 1;

    /// <summary>The service's SQLite database in the data directory.</summary>
    internal const string DatabaseFileName = "server.db";

    internal static Command Create()
    {
        var server = new Command("server", "The cloud service: deployment set-up and the TLS 1.3 listener.");
        server.Subcommands.Add(CreateInit());
        server.Subcommands.Add(CreateRun());
        return server;
    }

    private static Option<DirectoryInfo> DataOption() =>
        new("--data") { Description = "The deployment's data directory.", Required = true };

    private static Command CreateInit()
    {
        var data = DataOption();
        var names = new Option<string[]>("--name")
        {
            Description = "A further DNS name or IP address for the server certificate (repeatable); localhost, 127.0.0.1 and ::1 are always in it.",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("init", "Create the deployment's CA (DIR/ca.pem, give it to clients) and server certificate.");
        command.Options.Add(data);
        command.Options.Add(names);
        command.SetAction(parse => Init(parse.GetValue(data)!, parse.GetValue(names) ?? []));
        return command;
    }

    private static int Init(DirectoryInfo data, string[] names)
    {
        var files = new DeploymentFiles(data.FullName);
        try
        {
            using var ca = files.Initialize(names, DateTimeOffset.UtcNow);
            Console.Out.WriteLine($"Deployment created in {files.Directory}");
            Console.Out.WriteLine($"  CA certificate (give to clients, --ca): {files.CaCertificatePath}");
            Console.Out.WriteLine($"  CA SHA-256 fingerprint: {ca.GetCertHashString(HashAlgorithmName.SHA256)}");
            Console.Out.WriteLine($"  private keys (mode 0600, keep secret): {files.CaKeyPath}, {files.ServerKeyPath}");
            return 0;
        }
        catch (DeploymentExistsException e)
        {
            Console.Error.WriteLine($"securecomms server init: {e.Message}");
            return Failure;
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"securecomms server init: {e.Message}");
            return Failure;
        }
    }

    private static Command CreateRun()
    {
        var data = DataOption();
        var listen = new Option<string>("--listen")
        {
            Description = "ADDRESS:PORT to listen on, e.g. 127.0.0.1:7443 or [::1]:7443 (port 0: any free port).",
            Required = true,
        };
        var maxConnections = new Option<int>("--max-connections")
        {
            Description = "Connections at a time (default 1024).",
            DefaultValueFactory = _ => TransportLimits.MaxConnections,
        };
        var requestsPerSecond = new Option<double>("--requests-per-second")
        {
            Description = "Requests per second per connection, sustained (default 16).",
            DefaultValueFactory = _ => TransportLimits.RequestsPerSecond,
        };
        var requestBurst = new Option<int>("--request-burst")
        {
            Description = "Requests per connection in a burst (default 32).",
            DefaultValueFactory = _ => TransportLimits.RequestBurst,
        };
        var registrationBurst = new Option<int>("--registration-burst")
        {
            Description = "Registrations per source address in a burst, refilled at one per minute (default 10).",
            DefaultValueFactory = _ => ServiceLimits.RegistrationBurst,
        };
        var command = new Command("run", "Run the cloud listener (TLS 1.3 only) until Ctrl-C or SIGTERM.");
        command.Options.Add(data);
        command.Options.Add(listen);
        command.Options.Add(maxConnections);
        command.Options.Add(requestsPerSecond);
        command.Options.Add(requestBurst);
        command.Options.Add(registrationBurst);
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(data)!, parse.GetValue(listen)!, new CloudServerOptions
        {
            Listener = new CloudListenerOptions
            {
                MaxConnections = parse.GetValue(maxConnections),
                RequestsPerSecond = parse.GetValue(requestsPerSecond),
                RequestBurst = parse.GetValue(requestBurst),
            },
            Services = new ServiceOptions { RegistrationBurst = parse.GetValue(registrationBurst) },
        }, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(DirectoryInfo data, string listen, CloudServerOptions options, CancellationToken cancellationToken)
    {
        if (!IPEndPoint.TryParse(listen, out IPEndPoint? endpoint))
        {
            Console.Error.WriteLine($"securecomms server run: --listen '{listen}' is not ADDRESS:PORT.");
            return Failure;
        }
        var files = new DeploymentFiles(data.FullName);
        if (!File.Exists(files.ServerCertificatePath) || !File.Exists(files.ServerKeyPath))
        {
            Console.Error.WriteLine($"securecomms server run: no deployment in {files.Directory}; run `securecomms server init --data {data}` first.");
            return Failure;
        }
        try
        {
            using var certificate = files.LoadServerCertificate();
            string database = Path.Combine(files.Directory, DatabaseFileName);
            await using var server = new CloudServer(certificate, endpoint, database, options);
            Console.Out.WriteLine($"listening on {server.LocalEndPoint} (TLS 1.3; clients pin {files.CaCertificatePath}; data {database})");
            Console.Out.Flush();
            await server.RunAsync(cancellationToken);
            Console.Out.WriteLine("stopped");
            return 0;
        }
        catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException or System.Net.Sockets.SocketException
            or Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or ArgumentOutOfRangeException)
        {
            Console.Error.WriteLine($"securecomms server run: {e.Message}");
            return Failure;
        }
    }
}
