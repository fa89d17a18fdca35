namespace SecureComms.Crypto.Tests.Fuzz;

/// <summary>
/// The committed fuzz corpus, <c>fuzz/corpus/TARGET/FILE</c>.
/// </summary>
internal static class FuzzCorpus
{
    /// <summary>The corpus folder.</summary>
    public static DirectoryInfo Directory { get; } = new(Path.Combine(RepositoryPaths.Root, "fuzz", "corpus"));

    /// <summary>Every seed as <c>TARGET/FILE</c>, ordered, for a theory's data.</summary>
    public static TheoryData<string> Seeds() =>
        [.. Directory.EnumerateFiles("*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Directory.FullName, file.FullName).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)];

    /// <summary>The target folders: one per target that has seeds.</summary>
    public static IEnumerable<string> TargetNames() => Directory.EnumerateDirectories().Select(d => d.Name);

    /// <summary>The bytes of a seed named <c>TARGET/FILE</c>.</summary>
    public static byte[] Read(string seed) => File.ReadAllBytes(Path.Combine(Directory.FullName, seed));
}
