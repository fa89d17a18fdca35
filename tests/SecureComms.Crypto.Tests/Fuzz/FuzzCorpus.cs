namespace SecureComms.Crypto.Tests.Fuzz;

/// <summary>
/// The committed fuzz corpus, <c>fuzz/corpus/TARGET/FILE</c>, found from the test's output directory by
/// walking up to the repository root (the folder holding <c>SecureComms.sln</c>).
/// </summary>
internal static class FuzzCorpus
{
    /// <summary>The file that marks the repository root.</summary>
    private const string RootMarker = "SecureComms.sln";

    /// <summary>The corpus folder.</summary>
    public static DirectoryInfo Directory { get; } = Locate();

    /// <summary>Every seed as <c>TARGET/FILE</c>, ordered, for a theory's data.</summary>
    public static TheoryData<string> Seeds() =>
        [.. Directory.EnumerateFiles("*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Directory.FullName, file.FullName).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)];

    /// <summary>The target folders: one per target that has seeds.</summary>
    public static IEnumerable<string> TargetNames() => Directory.EnumerateDirectories().Select(d => d.Name);

    /// <summary>The bytes of a seed named <c>TARGET/FILE</c>.</summary>
    public static byte[] Read(string seed) => File.ReadAllBytes(Path.Combine(Directory.FullName, seed));

    private static DirectoryInfo Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, RootMarker)))
            {
                return new DirectoryInfo(Path.Combine(dir.FullName, "fuzz", "corpus"));
            }
        }
        throw new DirectoryNotFoundException($"No {RootMarker} above {AppContext.BaseDirectory}: cannot find fuzz/corpus.");
    }
}
