using System.Text.Json;

namespace SecureComms.Vectors;

/// <summary>
/// One test case of a vector file: typed, total accessors over its JSON object. A missing or malformed
/// field raises <see cref="VectorFormatException"/> naming it.
/// </summary>
public sealed class VectorCase
{
    private readonly JsonElement _case;
    private readonly JsonElement _group;

    internal VectorCase(string id, JsonElement testCase, JsonElement group)
    {
        Id = id;
        _case = testCase;
        _group = group;
    }

    /// <summary>The case's identifier in its source (Wycheproof tcId, RFC case id).</summary>
    public string Id { get; }

    /// <summary>Bytes of a hex field of the case (or, failing that, of its group).</summary>
    public byte[] Bytes(string name)
    {
        string text = Text(name);
        return Hex.TryDecode(text, out var bytes) ? bytes : throw new VectorFormatException($"case {Id}: field '{name}' is not hex");
    }

    /// <summary>A string field of the case (or of its group).</summary>
    public string Text(string name) =>
        Field(name) is { ValueKind: JsonValueKind.String } value && JsonStrings.TryGet(value, out string? text)
            ? text
            : throw new VectorFormatException($"case {Id}: field '{name}' is missing or not a string");

    /// <summary>An integer field of the case (or of its group).</summary>
    public int Int(string name) =>
        Field(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out int result)
            ? result
            : throw new VectorFormatException($"case {Id}: field '{name}' is missing or not an int32");

    /// <summary>A boolean field, <paramref name="absent"/> when missing.</summary>
    public bool Flag(string name, bool absent = false) =>
        Field(name) switch
        {
            null => absent,
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            _ => throw new VectorFormatException($"case {Id}: field '{name}' is not a boolean"),
        };

    /// <summary>Whether the case (or its group) has a non-null field of that name.</summary>
    public bool Has(string name) => Field(name) is { ValueKind: not JsonValueKind.Null };

    /// <summary>The strings of an array field (e.g. Wycheproof flags); empty when missing.</summary>
    public IReadOnlyList<string> Strings(string name)
    {
        if (Field(name) is not { ValueKind: JsonValueKind.Array } array)
        {
            return [];
        }
        var result = new List<string>();
        foreach (var item in array.EnumerateArray())
        {
            result.Add(item.ValueKind == JsonValueKind.String && JsonStrings.TryGet(item, out string? text)
                ? text
                : throw new VectorFormatException($"case {Id}: field '{name}' holds a non-string"));
        }
        return result;
    }

    /// <summary>A nested object of the group (e.g. Wycheproof's <c>publicKey</c>), as a case view.</summary>
    public VectorCase Group(string name) =>
        _group.ValueKind == JsonValueKind.Object && _group.TryGetProperty(name, out var inner) && inner.ValueKind == JsonValueKind.Object
            ? new VectorCase(Id, inner, default)
            : throw new VectorFormatException($"case {Id}: group field '{name}' is missing or not an object");

    private JsonElement? Field(string name)
    {
        if (_case.TryGetProperty(name, out var value))
        {
            return value;
        }
        if (_group.ValueKind == JsonValueKind.Object && _group.TryGetProperty(name, out var groupValue))
        {
            return groupValue;
        }
        return null;
    }
}
