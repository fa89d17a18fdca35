using System.Diagnostics;
using System.Text.Json.Nodes;

namespace SecureComms.Interop.Signal;

/// <summary>One shim (one Signal party) that answers request lines: ours in process, or another implementation's process.</summary>
public abstract class ShimPeer : IDisposable
{
    private int _nextId;

    /// <summary>The implementation's name in reports (e.g. <c>libsignal-client@0.72.1</c>).</summary>
    public abstract string Implementation { get; }

    /// <summary>Sends one request (an <c>id</c> is added) and returns the reply.</summary>
    /// <exception cref="InteropException">The peer did not answer with the matching JSON reply.</exception>
    public JsonObject Call(JsonObject request)
    {
        ArgumentNullException.ThrowIfNull(request);
        int id = ++_nextId;
        request["id"] = id;
        string replyLine = Exchange(request.ToJsonString());
        JsonObject reply = (JsonNode.Parse(replyLine) as JsonObject) ?? throw new InteropException($"{Implementation} replied with a non-object: {replyLine}");
        if (reply["id"]?.GetValue<int>() != id)
        {
            throw new InteropException($"{Implementation} answered request {id} with {replyLine}");
        }
        return reply;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Writes one line and reads the reply line.</summary>
    protected abstract string Exchange(string line);

    /// <summary>Releases the peer.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}

/// <summary>Our <see cref="SignalShim"/>, called directly.</summary>
public sealed class InProcessShimPeer : ShimPeer
{
    private readonly SignalShim _shim = new();

    /// <inheritdoc/>
    public override string Implementation => "securecomms";

    /// <inheritdoc/>
    protected override string Exchange(string line) => _shim.Handle(line);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _shim.Dispose();
        }
    }
}

/// <summary>A shim in a child process, spoken to over its stdin and stdout.</summary>
public sealed class ProcessShimPeer : ShimPeer
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _implementation;

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>.</summary>
    public ProcessShimPeer(string implementation, string fileName, params string[] arguments)
    {
        _implementation = implementation;
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InteropException($"Could not start {fileName}.");
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
    }

    /// <inheritdoc/>
    public override string Implementation => _implementation;

    /// <inheritdoc/>
    protected override string Exchange(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
        Task<string?> read = _process.StandardOutput.ReadLineAsync();
        if (!read.Wait(ReplyTimeout))
        {
            throw new InteropException($"{_implementation} did not answer within {ReplyTimeout.TotalSeconds} s.");
        }
        return read.Result ?? throw new InteropException($"{_implementation} exited (code {(_process.HasExited ? _process.ExitCode : -1)}).");
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(5000))
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            finally
            {
                _process.Dispose();
            }
        }
    }
}

/// <summary>A peer broke the shim protocol (no reply, a reply out of order, or not JSON).</summary>
public sealed class InteropException : Exception
{
    /// <summary>What went wrong.</summary>
    public InteropException(string message)
        : base(message)
    {
    }

    /// <summary>Not for use.</summary>
    public InteropException()
    {
    }

    /// <summary>Not for use.</summary>
    public InteropException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
