using System.Text.Json;

namespace CanvasLearning.Canvas;

internal static partial class CanvasReader
{
    /// <summary>
    /// How many objects the JSON array in <paramref name="utf8"/> holds (whitespace and comments
    /// around it allowed), read without building anything; null when the text is not exactly one
    /// array. The check that an edit of an array is still an array of the objects it should hold.
    /// </summary>
    public static int? CountObjects(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return null;
            }

            var objects = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                objects += reader.TokenType == JsonTokenType.StartObject ? 1 : 0;
                reader.Skip();
            }

            // Anything after the array makes the reader throw here.
            while (reader.Read())
            {
            }

            return objects;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static CanvasFormatException Duplicate(string name) =>
        new($"The canvas is not valid JSON: the property \"{name}\" appears twice in one object. Remove one of them.");

    private static string PropertyName(ref Utf8JsonReader reader, HashSet<string> names)
    {
        var name = reader.GetString()!;

        // Which of two values is meant cannot be guessed, so a duplicate is refused.
        if (!names.Add(name))
        {
            throw Duplicate(name);
        }

        return name;
    }

    /// <summary>Skips the current value, refusing duplicate property names inside it.</summary>
    private static void SkipChecked(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                SkipChecked(ref reader);
            }
        }
        else if (reader.TokenType == JsonTokenType.StartObject)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                PropertyName(ref reader, names);
                reader.Read();
                SkipChecked(ref reader);
            }
        }
    }
}
