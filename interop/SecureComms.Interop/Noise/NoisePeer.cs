namespace SecureComms.Interop.Noise;

/// <summary>
/// Another Noise implementation, driven through its shim in <c>interop/noise/</c> (protocol in that folder's
/// README.md): noise-c compiled to WebAssembly (npm <c>noise-c.wasm@0.4.0</c>, the last release with AES-GCM) and
/// Go's flynn/noise (Debian <c>golang-github-flynn-noise-dev</c>, built offline by <c>scripts/interop-deps</c>).
/// </summary>
/// <param name="Name">Package and pinned version, as reports show it.</param>
/// <param name="Installed">Relative to <c>interop/noise/</c>: the file whose presence means the peer is installed.</param>
/// <param name="FileName">The program to start (<c>node</c>, or a path relative to <c>interop/noise/</c>).</param>
/// <param name="Arguments">Its arguments; paths are relative to <c>interop/noise/</c>.</param>
/// <remarks>
/// <para><b>Hazard.</b> The shim is given its static <i>private</i> key over a pipe: these are throwaway test keys,
/// never a user's. Shims never log keys.</para>
/// </remarks>
public sealed record NoisePeer(string Name, string Installed, string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Report source name, e.g. <c>interop/noise-c.wasm@0.4.0</c>.</summary>
    public string Source => $"interop/{Name}";

    /// <summary>Whether this peer is installed under <paramref name="directory"/> (<c>interop/noise</c>).</summary>
    public bool IsInstalledIn(string directory) => File.Exists(Path.Combine(directory, Installed));

    /// <summary>Starts this peer's shim process (one party at a time; <c>start</c> resets it).</summary>
    /// <exception cref="Signal.InteropException">The process could not be started.</exception>
    public Signal.ProcessShimPeer Start(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string fileName = FileName.Contains('/', StringComparison.Ordinal) ? Path.Combine(directory, FileName) : FileName;
        return new Signal.ProcessShimPeer(Name, fileName, [.. Arguments.Select(a => Path.Combine(directory, a))]);
    }
}

/// <summary>The pinned Noise peers and where their shims live.</summary>
public static class NoisePeers
{
    /// <summary>Environment variable naming the <c>interop/noise</c> directory (else it is searched upwards).</summary>
    public const string DirectoryVariable = "SECURECOMMS_NOISE_INTEROP_DIR";

    /// <summary>Skip reason when a peer is not installed.</summary>
    public const string NotInstalledReason =
        "Noise peer not installed: run scripts/interop-deps (npm ci in interop/noise; apt golang-go golang-github-flynn-noise-dev and go build)";

    /// <summary>noise-c 0.4.0 through WebAssembly (0.5.0 and the @richardhopton fork lack AES-GCM).</summary>
    public static NoisePeer NoiseC { get; } =
        new("noise-c.wasm@0.4.0", "node_modules/noise-c.wasm/package.json", "node", ["noise-c-shim.mjs"]);

    /// <summary>Go's flynn/noise from Debian, built into <c>interop/noise/bin/flynn-shim</c>.</summary>
    public static NoisePeer Flynn { get; } = new("flynn-noise", "bin/flynn-shim", "bin/flynn-shim", []);

    /// <summary>Both peers.</summary>
    public static IReadOnlyList<NoisePeer> All { get; } = [NoiseC, Flynn];

    /// <summary>The <c>interop/noise</c> directory (holding its README.md), or null when not found.</summary>
    public static string? LocateDirectory()
    {
        string? configured = Environment.GetEnvironmentVariable(DirectoryVariable);
        IEnumerable<string> candidates = configured is not null
            ? [configured]
            : Ancestors(AppContext.BaseDirectory).Concat(Ancestors(Environment.CurrentDirectory)).Select(d => Path.Combine(d, "interop", "noise"));
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "noise-c-shim.mjs")));
    }

    private static IEnumerable<string> Ancestors(string start)
    {
        for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
        {
            yield return d.FullName;
        }
    }
}
