using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace SecureComms.Vectors;

/// <summary>
/// Total reading of JSON string values. <see cref="JsonDocument"/> accepts, at parse time, strings whose text
/// is not valid Unicode (raw invalid UTF-8 bytes, or a lone surrogate escape such as <c>"\uD800"</c>) and
/// <see cref="JsonElement.GetString"/> then throws <see cref="InvalidOperationException"/>; here that is a
/// false return, which callers turn into a <see cref="VectorFormatException"/>. Found by the
/// <c>vector-file</c> fuzz target (regression seeds: <c>fuzz/corpus/vector-file/regression-*</c>).
/// </summary>
internal static class JsonStrings
{
    /// <summary>The text of <paramref name="value"/>, which must be of kind String; false when it is not
    /// valid Unicode.</summary>
    internal static bool TryGet(JsonElement value, [NotNullWhen(true)] out string? text)
    {
        try
        {
            text = value.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }
}
