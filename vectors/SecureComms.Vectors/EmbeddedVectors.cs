using System.Collections.Concurrent;

namespace SecureComms.Vectors;

/// <summary>The vector files embedded in this assembly (copied from their sources with provenance in
/// <c>vectors/data/*/SOURCES.md</c>), parsed once and cached.</summary>
public static class EmbeddedVectors
{
    private static readonly ConcurrentDictionary<string, VectorFile> Cache = new(StringComparer.Ordinal);

    /// <summary>Loads <paramref name="name"/>, e.g. <c>wycheproof/x25519_test.json</c>.</summary>
    public static VectorFile Load(string name) => Cache.GetOrAdd(name, static n =>
    {
        using var stream = typeof(EmbeddedVectors).Assembly.GetManifestResourceStream(n)
            ?? throw new VectorFormatException($"no embedded vector file '{n}'");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return VectorFile.Parse(n, buffer.ToArray());
    });
}
