using System.Globalization;
using System.Net;

namespace SecureComms.Load;

/// <summary>
/// The command line of <c>securecomms-load</c>: a subcommand then <c>--name value</c> pairs. Every option is
/// named; an unknown or repeated option, or a missing value, is an error (a typo must not silently run the
/// default workload).
/// </summary>
internal sealed class LoadArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private LoadArguments(string command) => Command = command;

    /// <summary>The subcommand (setup, run, idle, report).</summary>
    public string Command { get; }

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> on malformed input.</summary>
    public static LoadArguments Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException("a subcommand is required: setup, run, idle or report");
        }
        var parsed = new LoadArguments(args[0]);
        for (int i = 1; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected --name value, got '{args[i]}'");
            }
            if (!parsed._values.TryAdd(args[i][2..], args[i + 1]))
            {
                throw new ArgumentException($"{args[i]} given twice");
            }
        }
        return parsed;
    }

    /// <summary>A required string option.</summary>
    public string Text(string name) => Optional(name) ?? throw new ArgumentException($"--{name} is required");

    /// <summary>An optional string option.</summary>
    public string? Optional(string name)
    {
        _read.Add(name);
        return _values.GetValueOrDefault(name);
    }

    /// <summary>An integer option of at least <paramref name="minimum"/>.</summary>
    public int Integer(string name, int? fallback = null, int minimum = 1)
    {
        string? text = Optional(name);
        if (text is null)
        {
            return fallback ?? throw new ArgumentException($"--{name} is required");
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < minimum)
        {
            throw new ArgumentException($"--{name} must be an integer of at least {minimum}, got '{text}'");
        }
        return value;
    }

    /// <summary>The <c>--server HOST:PORT</c> option.</summary>
    public IPEndPoint Server()
    {
        string text = Text("server");
        return IPEndPoint.TryParse(text, out IPEndPoint? endpoint) && endpoint.Port != 0
            ? endpoint
            : throw new ArgumentException($"--server must be ADDRESS:PORT, got '{text}'");
    }

    /// <summary>Throws when an option was given that the subcommand never read.</summary>
    public void RejectUnknown()
    {
        string[] unknown = [.. _values.Keys.Where(k => !_read.Contains(k))];
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"unknown option(s) for '{Command}': --{string.Join(", --", unknown)}");
        }
    }
}
