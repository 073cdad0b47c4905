using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CanvasLearning.Sessions;

/// <summary>
/// Writes the wire envelope <c>{type, session_id, task_id, seq, timestamp, data}</c>.
/// <c>task_id</c> repeats the session id for clients written against the story's format.
/// </summary>
public static class EventEnvelope
{
    public static string Create<T>(string type, string sessionId, long? seq, DateTimeOffset timestamp, T? data, JsonTypeInfo<T>? dataType)
    {
        using var buffer = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("session_id", sessionId);
            writer.WriteString("task_id", sessionId);
            if (seq is { } n)
            {
                writer.WriteNumber("seq", n);
            }

            writer.WriteString("timestamp", timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            if (data is not null && dataType is not null)
            {
                writer.WritePropertyName("data");
                JsonSerializer.Serialize(writer, data, dataType);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
