using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using SecureComms.Cloud.Tests.Durability;

namespace SecureComms.Cloud.Tests.Client;

/// <summary>
/// <c>securecomms client --profile DIR --server 127.0.0.1:PORT --ca FILE jsonrpc</c> as a real child process: requests
/// written as lines on its standard input, answers matched by id, notifications collected in order.
/// </summary>
internal sealed class JsonRpcProcess : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Channel<JsonObject> _notifications = Channel.CreateUnbounded<JsonObject>();
    private readonly Channel<JsonNode> _answers = Channel.CreateUnbounded<JsonNode>();
    private readonly Task _reader;
    private readonly StringBuilder _stderr = new();
    private int _lastId;

    private JsonRpcProcess(Process process)
    {
        _process = process;
        _reader = Task.Run(ReadAsync);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
    }

    public static JsonRpcProcess Start(string profile, int port, string caPath)
    {
        ProcessStartInfo start = ServerProcess.CliStartInfo(["client", "--profile", profile, "--server", $"127.0.0.1:{port}", "--ca", caPath, "jsonrpc"]);
        return new JsonRpcProcess(Process.Start(start)!);
    }

    /// <summary>Calls <paramref name="method"/> and returns the whole answer (result or error).</summary>
    public async Task<JsonObject> CallAsync(string method, object? parameters = null)
    {
        int id = Interlocked.Increment(ref _lastId);
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method };
        if (parameters is not null)
        {
            request["params"] = JsonSerializer.SerializeToNode(parameters);
        }
        await WriteLineAsync(request.ToJsonString());
        return (JsonObject)await NextAnswerAsync(a => a is JsonObject o && o["id"]?.GetValueKind() == JsonValueKind.Number && (int)o["id"]! == id);
    }

    /// <summary>The result of <paramref name="method"/>; fails the test on an error answer.</summary>
    public async Task<JsonNode> ResultAsync(string method, object? parameters = null)
    {
        JsonObject answer = await CallAsync(method, parameters);
        Assert.True(answer.ContainsKey("result"), $"{method}: {answer.ToJsonString()}\n{Stderr}");
        return answer["result"]!;
    }

    /// <summary>Writes a raw line.</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteAsync(line + "\n");
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>The next answer (a line that is not a notification) matching <paramref name="match"/>; others are kept.</summary>
    public async Task<JsonNode> NextAnswerAsync(Func<JsonNode, bool>? match = null)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var skipped = new List<JsonNode>();
        try
        {
            while (true)
            {
                JsonNode answer = await _answers.Reader.ReadAsync(deadline.Token);
                if (match is null || match(answer))
                {
                    return answer;
                }
                skipped.Add(answer);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no matching answer; stderr:\n{Stderr}");
        }
        finally
        {
            foreach (JsonNode other in skipped)
            {
                _answers.Writer.TryWrite(other);
            }
        }
    }

    /// <summary>The next notification <paramref name="method"/> whose params match; earlier other ones are dropped.</summary>
    public async Task<JsonObject> NotificationAsync(string method, Func<JsonObject, bool>? match = null)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (true)
        {
            JsonObject notification = await _notifications.Reader.ReadAsync(deadline.Token);
            if ((string?)notification["method"] == method && (match is null || match((JsonObject)notification["params"]!)))
            {
                return (JsonObject)notification["params"]!;
            }
        }
    }

    /// <summary>Answers received and not taken yet.</summary>
    public int PendingAnswers => _answers.Reader.Count;

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            JsonNode node = JsonNode.Parse(line)!; // every line the CLI writes must be JSON
            if (node is JsonObject o && o.ContainsKey("method") && !o.ContainsKey("id"))
            {
                _notifications.Writer.TryWrite(o);
            }
            else
            {
                _answers.Writer.TryWrite(node);
            }
        }
        _notifications.Writer.TryComplete();
    }

    /// <summary>Closes standard input (the session ends) and waits for the process to exit.</summary>
    public async Task<int> CloseAsync()
    {
        _process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(Timeout);
        await _process.WaitForExitAsync(deadline.Token);
        await _reader;
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
