using System.Text.Json;
using SecureComms.Vectors;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// The field names each case of an already-accepted vector file can be asked for, found by walking the JSON
/// independently of <see cref="VectorFile"/>: the case's own properties, its group's, and those of its
/// group's nested objects (what <see cref="VectorCase.Group"/> views).
/// </summary>
/// <remarks>
/// This is the harness's model of the two file shapes (<c>testGroups[].tests[]</c> and <c>cases[]</c>); the
/// number of cases it finds must equal the parser's. Names that are not valid UTF-16 (a lone surrogate
/// escape) cannot be passed to an accessor as a C# literal would be, so they are skipped.
/// </remarks>
internal static class CaseFieldNames
{
    /// <summary>Most names probed per JSON object, so that a file with a huge group cannot make the
    /// harness's own work (names × cases) pass for a hang of the parser.</summary>
    internal const int MaxNamesPerObject = 256;

    /// <summary>The names of each case, in file order. Call only on input the parser accepted.</summary>
    internal static List<CaseFields> Read(ReadOnlySpan<byte> utf8Json)
    {
        using var document = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { MaxDepth = VectorFile.MaxDepth });
        var root = document.RootElement;
        var result = new List<CaseFields>();
        if (root.TryGetProperty("testGroups", out var groups))
        {
            foreach (var group in groups.EnumerateArray())
            {
                var groupFields = Names(group);
                var nested = new List<(string, HashSet<string>)>();
                foreach (var property in group.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.Object && TryGetName(property, out string? name))
                    {
                        nested.Add((name, Names(property.Value)));
                    }
                }
                foreach (var test in group.GetProperty("tests").EnumerateArray())
                {
                    var fields = Names(test);
                    fields.UnionWith(groupFields);
                    result.Add(new CaseFields(fields, nested));
                }
            }
        }
        else
        {
            foreach (var item in root.GetProperty("cases").EnumerateArray())
            {
                result.Add(new CaseFields(Names(item), []));
            }
        }
        return result;
    }

    private static HashSet<string> Names(JsonElement element)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (names.Count == MaxNamesPerObject)
            {
                break;
            }
            if (TryGetName(property, out string? name))
            {
                names.Add(name);
            }
        }
        return names;
    }

    private static bool TryGetName(JsonProperty property, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            // Escaped lone surrogate or invalid UTF-8 in the name: not representable, so not probed.
            name = null;
            return false;
        }
    }
}

/// <summary>The field names of one case: its own and its group's (<paramref name="Fields"/>), and for each
/// object-valued group field, that object's names (<paramref name="Groups"/>).</summary>
internal sealed record CaseFields(HashSet<string> Fields, List<(string Name, HashSet<string> Fields)> Groups);
