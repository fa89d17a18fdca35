using System.Text.Json;

namespace SecureComms.Vectors;

/// <summary>
/// A parsed vector file: Wycheproof (<c>testGroups[].tests[]</c>, id = tcId) or the project's transcribed
/// RFC and Signal files (<c>cases[]</c>, id = id). Parsing is total: any malformed input, including
/// oversized input, too-deep nesting, duplicate or missing ids, is a <see cref="VectorFormatException"/>.
/// </summary>
public sealed class VectorFile
{
    /// <summary>Largest vector file accepted: 8 MiB.</summary>
    public const int MaxSizeInBytes = 8 * 1024 * 1024;

    /// <summary>Deepest JSON nesting accepted.</summary>
    public const int MaxDepth = 16;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth };

    private readonly Dictionary<string, VectorCase> _byId;

    private VectorFile(string name, List<VectorCase> cases)
    {
        Name = name;
        Cases = cases;
        _byId = new Dictionary<string, VectorCase>(StringComparer.Ordinal);
        foreach (var c in cases)
        {
            if (!_byId.TryAdd(c.Id, c))
            {
                throw new VectorFormatException($"{name}: duplicate case id '{c.Id}'");
            }
        }
    }

    /// <summary>The file's name, e.g. <c>wycheproof/x25519_test.json</c>.</summary>
    public string Name { get; }

    /// <summary>Every case, in file order.</summary>
    public IReadOnlyList<VectorCase> Cases { get; }

    /// <summary>The case with that id.</summary>
    public VectorCase this[string id] =>
        _byId.TryGetValue(id, out var c) ? c : throw new KeyNotFoundException($"{Name}: no case '{id}'");

    /// <summary>A file whose cases a suite read itself (a format other than Wycheproof's and <c>cases[]</c>, e.g.
    /// Noise's <c>vectors[]</c>); ids must be unique.</summary>
    /// <exception cref="VectorFormatException">Two cases share an id.</exception>
    internal static VectorFile FromCases(string name, IEnumerable<(string Id, JsonElement Case)> cases) =>
        new(name, [.. cases.Select(c => new VectorCase(c.Id, c.Case.Clone(), default))]);

    /// <summary>Parses a vector file.</summary>
    /// <exception cref="VectorFormatException">The input is not a well-formed vector file.</exception>
    public static VectorFile Parse(string name, ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > MaxSizeInBytes)
        {
            throw new VectorFormatException($"{name}: larger than {MaxSizeInBytes} bytes");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray(), Options);
        }
        catch (JsonException e)
        {
            throw new VectorFormatException($"{name}: not JSON ({e.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new VectorFormatException($"{name}: top level is not an object");
            }
            var cases = new List<VectorCase>();
            if (root.TryGetProperty("testGroups", out var groups))
            {
                foreach (var group in Array(name, groups, "testGroups"))
                {
                    if (group.ValueKind != JsonValueKind.Object || !group.TryGetProperty("tests", out var tests))
                    {
                        throw new VectorFormatException($"{name}: a test group has no 'tests'");
                    }
                    var groupCopy = group.Clone();
                    foreach (var test in Array(name, tests, "tests"))
                    {
                        cases.Add(new VectorCase(Id(name, test, "tcId"), test.Clone(), groupCopy));
                    }
                }
            }
            else if (root.TryGetProperty("cases", out var list))
            {
                foreach (var item in Array(name, list, "cases"))
                {
                    cases.Add(new VectorCase(Id(name, item, "id"), item.Clone(), default));
                }
            }
            else
            {
                throw new VectorFormatException($"{name}: neither 'testGroups' nor 'cases'");
            }
            return new VectorFile(name, cases);
        }
    }

    private static JsonElement.ArrayEnumerator Array(string name, JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.Array
            ? element.EnumerateArray()
            : throw new VectorFormatException($"{name}: '{field}' is not an array");

    private static string Id(string name, JsonElement item, string field)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty(field, out var id))
        {
            throw new VectorFormatException($"{name}: a case has no '{field}'");
        }
        return id.ValueKind switch
        {
            JsonValueKind.Number when id.TryGetInt32(out int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
            JsonValueKind.String when JsonStrings.TryGet(id, out string? text) => text,
            _ => throw new VectorFormatException($"{name}: '{field}' is neither an int32 nor a string"),
        };
    }
}
