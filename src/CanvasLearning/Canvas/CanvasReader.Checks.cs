using System.Text.Json;

namespace CanvasLearning.Canvas;

internal static partial class CanvasReader
{
    /// <summary>
    /// How many objects the <c>nodes</c> and <c>edges</c> arrays hold, read without building
    /// anything: the check that an edited text is still a whole canvas.
    /// </summary>
    public static (int Nodes, int Edges)? CountItems(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var (nodes, edges) = (0, 0);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isNodes = reader.ValueTextEquals("nodes"u8);
                var isEdges = !isNodes && reader.ValueTextEquals("edges"u8);
                reader.Read();
                if ((isNodes || isEdges) && reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        (nodes, edges) = reader.TokenType == JsonTokenType.StartObject ? (nodes + (isNodes ? 1 : 0), edges + (isEdges ? 1 : 0)) : (nodes, edges);
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            while (reader.Read())
            {
            }

            return (nodes, edges);
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
