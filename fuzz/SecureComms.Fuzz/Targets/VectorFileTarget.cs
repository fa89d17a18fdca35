using SecureComms.Vectors;

namespace SecureComms.Fuzz.Targets;

/// <summary>
/// Fuzz target <c>vector-file</c>: <see cref="VectorFile.Parse"/> on the input, then every accessor of
/// <see cref="VectorCase"/> on every field of every case (and of every nested group object).
/// </summary>
/// <remarks>
/// Parsing and the accessors are total: the only exception allowed out is <see cref="VectorFormatException"/>.
/// Oracles: the parser finds as many cases as the harness's own walk (<see cref="CaseFieldNames"/>); every
/// case is found again by its id; a field that decodes as hex has twice as many characters as bytes.
/// </remarks>
public static class VectorFileTarget
{
    /// <summary>The target's name on the command line and in <c>fuzz/corpus/</c>.</summary>
    public const string Name = "vector-file";

    /// <summary>A name no accessor call finds in a typical file: probes the missing-field paths.</summary>
    private const string AbsentField = "fuzz-absent-field";

    /// <summary>Runs one input.</summary>
    public static void Target(ReadOnlySpan<byte> data)
    {
        VectorFile file;
        try
        {
            file = VectorFile.Parse("fuzz.json", data);
        }
        catch (VectorFormatException)
        {
            return;
        }
        var names = CaseFieldNames.Read(data);
        FuzzFindingException.Require(names.Count == file.Cases.Count, "the parser finds every case of the file");
        for (int i = 0; i < file.Cases.Count; i++)
        {
            var testCase = file.Cases[i];
            FuzzFindingException.Require(ReferenceEquals(file[testCase.Id], testCase), "every case is found by its id");
            ReadEveryField(testCase, names[i].Fields);
            Typed(() => _ = testCase.Group(AbsentField));
            foreach (var (groupName, groupFields) in names[i].Groups)
            {
                // Typed: with duplicate keys the group may hold a non-object under the same name.
                Typed(() => ReadEveryField(testCase.Group(groupName), groupFields));
            }
        }
    }

    private static void ReadEveryField(VectorCase view, IEnumerable<string> names)
    {
        foreach (string name in names.Append(AbsentField))
        {
            ReadField(view, name);
        }
    }

    /// <summary>Asks for <paramref name="name"/> through every accessor.</summary>
    private static void ReadField(VectorCase testCase, string name)
    {
        _ = testCase.Has(name);
        Typed(() => _ = testCase.Text(name));
        Typed(() => _ = testCase.Int(name));
        Typed(() => _ = testCase.Flag(name));
        Typed(() => _ = testCase.Strings(name));
        Typed(() =>
        {
            byte[] bytes = testCase.Bytes(name);
            FuzzFindingException.Require(testCase.Text(name).Length == 2 * bytes.Length, "a hex field has two characters per byte");
        });
    }

    /// <summary>Runs <paramref name="read"/>, letting through nothing but the documented typed error.</summary>
    private static void Typed(Action read)
    {
        try
        {
            read();
        }
        catch (VectorFormatException)
        {
            // The documented way for an accessor to refuse a malformed or missing field.
        }
    }
}
