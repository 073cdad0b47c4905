using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CanvasLearning.Canvas;

/// <summary>Reading and writing the JSON values of a canvas, tolerant of what other tools write.</summary>
internal static class CanvasJson
{
    // Obsidian writes canvas files with tab indentation; the relaxed encoder keeps Chinese text
    // (and <, >, &) readable instead of \uXXXX, which matters to people who diff their vault.
    public static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        IndentCharacter = '\t',
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // Trailing commas and comments come from hand edits; refusing them would help nobody.
    // Duplicate properties are refused: which of the two values is meant cannot be guessed.
    public static readonly JsonDocumentOptions ReadOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        AllowDuplicateProperties = false,
    };

    public static string? String(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>A color may be written as a number by some tools; its text is what matters.</summary>
    public static string? StringOrNumber(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? value.ToJsonString() : String(obj, name);

    /// <summary>Geometry may be integer or fractional; missing or non-numeric reads as 0 (the JSON is kept as is).</summary>
    public static double Number(JsonObject obj, string name)
    {
        if (obj[name] is not JsonValue value)
        {
            return 0;
        }

        // ToJsonString gives the number's own text, whatever CLR type backs the value.
        return value.GetValueKind() == JsonValueKind.Number
            && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && double.IsFinite(number)
            ? number
            : 0;
    }

    public static void SetIfNotNull(JsonObject obj, string name, string? value)
    {
        if (value is not null)
        {
            obj[name] = value;
        }
    }
}
