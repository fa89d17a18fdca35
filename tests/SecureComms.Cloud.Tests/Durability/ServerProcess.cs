using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SecureComms.Cloud.Tests.Durability;

/// <summary>
/// The real cloud service as a child process: <c>dotnet securecomms.dll server run --data DIR --listen
/// 127.0.0.1:0</c> with the limits a load run needs, its port read from the "listening on" line it prints, and
/// <see cref="KillAsync"/> to end it with SIGKILL (no shutdown code runs, no buffer is flushed).
/// </summary>
/// <remarks>
/// <para>The CLI is found beside this test assembly's output, as <c>tests/SecureComms.Interop.Tests</c> finds it:
/// this project references <c>apps/SecureComms.Cli</c> with <c>ReferenceOutputAssembly="false"</c> so it is built
/// first, in the same configuration.</para>
/// <para>Hazards: the server logs every closed connection on stderr; both streams are read continuously (a full
/// pipe would block the server) and the last lines are kept for failure messages. A process left running by a
/// failed test is killed by <see cref="DisposeAsync"/>.</para>
/// </remarks>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    /// <summary>The server must print its port within 60 s (a cold start of the runtime on a loaded machine).</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>After SIGKILL the process must be reaped within 30 s.</summary>
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Output lines kept for diagnostics.</summary>
    private const int KeptLines = 40;

    /// <summary>The exit status of a process ended by SIGKILL as .NET reports it on Unix: 128 + signal 9.</summary>
    public const int SigkillExitCode = 128 + 9;

    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The port the server listens on (127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary>The process's exit code once it ended.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>The path of the built <c>securecomms.dll</c> (asserted to exist).</summary>
    public static string CliPath()
    {
        // This test runs from tests/SecureComms.Cloud.Tests/bin/<configuration>/net10.0/; the CLI is built alongside.
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        string configuration = output.Parent!.Name;
        string root = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        string cli = Path.Combine(root, "apps", "SecureComms.Cli", "bin", configuration, "net10.0", "securecomms.dll");
        Assert.True(File.Exists(cli), $"securecomms.dll not built at {cli}");
        return cli;
    }

    /// <summary><c>dotnet securecomms.dll ARGUMENTS</c> with the three standard streams redirected, in UTF-8.</summary>
    public static ProcessStartInfo CliStartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        start.ArgumentList.Add(CliPath());
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    /// <summary>Starts <c>server run</c> on <paramref name="dataDirectory"/> (a deployment made by <c>server init</c>)
    /// and waits for its port.</summary>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, params string[] extraArguments)
    {
        ProcessStartInfo start = CliStartInfo(["server", "run", "--data", dataDirectory, "--listen", "127.0.0.1:0", .. extraArguments]);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data, fromStdout: true);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data, fromStdout: false);
        process.Exited += (_, _) => server._port.TrySetException(new InvalidOperationException($"The server exited before listening.\n{server.LastOutput()}"));
        Assert.True(process.Start(), "dotnet did not start");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            server.Port = await server._port.Task.WaitAsync(StartTimeout);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Ends the server with SIGKILL (<see cref="Process.Kill(bool)"/> on Unix) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        using var deadline = new CancellationTokenSource(ExitTimeout);
        await _process.WaitForExitAsync(deadline.Token);
    }

    /// <summary>The last lines the server printed (stdout and stderr), for failure messages.</summary>
    public string LastOutput()
    {
        lock (_lastLines)
        {
            return string.Join('\n', _lastLines);
        }
    }

    private void OnLine(string? line, bool fromStdout)
    {
        if (line is null)
        {
            return;
        }
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }
        }
        if (fromStdout && Listening().Match(line) is { Success: true } match)
        {
            _port.TrySetResult(int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>"listening on 127.0.0.1:PORT (TLS 1.3; ...)", as <c>ServerCommand</c> prints it.</summary>
    [GeneratedRegex(@"^listening on 127\.0\.0\.1:(?<port>\d{1,5}) ")]
    private static partial Regex Listening();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
    }
}
