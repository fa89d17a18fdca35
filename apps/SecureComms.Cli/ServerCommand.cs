using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using SecureComms.Cloud.Certificates;
using SecureComms.Crypto;
using SecureComms.Server.Services;
using SecureComms.Server.Tls;
using SecureComms.Server.Transport;

namespace SecureComms.Cli;

/// <summary>
/// <c>securecomms server init --data DIR [--name HOST]...</c>: creates the deployment's CA, server certificate and
/// identity-certificate issuer key in DIR (refuses an existing deployment). <c>securecomms server issuer-init --data
/// DIR</c>: adds the issuer key to a deployment made before issue 5. <c>securecomms server run --data DIR --listen
/// ADDRESS:PORT</c>: runs the cloud service (TLS 1.3; data in DIR/server.db; certificates signed with DIR/issuer.key
/// when present) until Ctrl-C or SIGTERM. See <c>server/README.md</c>.
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
        server.Subcommands.Add(CreateIssuerInit());
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
        var command = new Command("init",
            "Create the deployment's CA (DIR/ca.pem, give it to clients), server certificate and certificate issuer key (DIR/issuer.pub, give it to clients).");
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
            Console.Out.WriteLine($"  identity-certificate issuer public key (give to clients to verify peers): {files.IssuerPublicKeyPath}");
            Console.Out.WriteLine($"  private keys (mode 0600, keep secret): {files.CaKeyPath}, {files.ServerKeyPath}, {files.IssuerKeyPath}");
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

    private static Command CreateIssuerInit()
    {
        var data = DataOption();
        var command = new Command("issuer-init",
            "Add the identity-certificate issuer key (DIR/issuer.key, DIR/issuer.pub) to a deployment made before it existed.");
        command.Options.Add(data);
        command.SetAction(parse => IssuerInit(parse.GetValue(data)!));
        return command;
    }

    private static int IssuerInit(DirectoryInfo data)
    {
        var files = new DeploymentFiles(data.FullName);
        try
        {
            files.CreateIssuerKey();
            Console.Out.WriteLine($"Issuer key created in {files.Directory}");
            Console.Out.WriteLine($"  public key (give to clients to verify peers): {files.IssuerPublicKeyPath}");
            Console.Out.WriteLine($"  private key (mode 0600, keep secret): {files.IssuerKeyPath}");
            return 0;
        }
        catch (DeploymentExistsException)
        {
            Console.Error.WriteLine($"securecomms server issuer-init: {files.Directory} has an issuer key already; refusing to replace it (certificates issued with it would stop verifying).");
            return Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"securecomms server issuer-init: {e.Message}");
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
            using Ed25519PrivateKey? issuerKey = files.LoadIssuerKey();
            string database = Path.Combine(files.Directory, DatabaseFileName);
            await using var server = new CloudServer(certificate, endpoint, database,
                options with { Issuer = issuerKey is null ? null : new CertificateIssuer(issuerKey) });
            Console.Out.WriteLine($"listening on {server.LocalEndPoint} (TLS 1.3; clients pin {files.CaCertificatePath}; data {database})");
            Console.Out.WriteLine(issuerKey is null
                ? $"no issuer key in {files.Directory}: identity certificates are refused (CODE_UNAVAILABLE); `securecomms server issuer-init --data {data}` adds one"
                : $"identity certificates signed with {files.IssuerKeyPath} (clients pin {files.IssuerPublicKeyPath})");
            Console.Out.Flush();
            await server.RunAsync(cancellationToken);
            Console.Out.WriteLine("stopped");
            return 0;
        }
        catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException or System.Net.Sockets.SocketException
            or Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or ArgumentOutOfRangeException or InvalidDataException)
        {
            Console.Error.WriteLine($"securecomms server run: {e.Message}");
            return Failure;
        }
    }
}
