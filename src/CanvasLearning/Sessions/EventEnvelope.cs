using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CanvasLearning.Sessions;

/// <summary>
/// Writes the wire envelope <c>{type, session_id, task_id, seq, timestamp, data}</c>.
/// <c>task_id</c> repeats the session id for clients written against the story's format.
/// </summary>
/// <remarks>Each thread keeps its writer and buffer: making an envelope allocates only what it returns.</remarks>
public static class EventEnvelope
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const int KeptBytes = 16 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>The envelope as JSON text.</summary>
    public static string Create<T>(string type, string sessionId, long? seq, DateTimeOffset timestamp, T? data, JsonTypeInfo<T>? dataType)
    {
        var json = Encoding.UTF8.GetString(Write(type, sessionId, seq, timestamp, data, dataType));
        Shrink();
        return json;
    }

    /// <summary>The envelope as UTF-8 bytes, ready for a frame.</summary>
    public static byte[] CreateUtf8<T>(string type, string sessionId, long? seq, DateTimeOffset timestamp, T? data, JsonTypeInfo<T>? dataType)
    {
        var utf8 = Write(type, sessionId, seq, timestamp, data, dataType).ToArray();
        Shrink();
        return utf8;
    }

    /// <summary>A thread keeps no buffer grown by a rare large envelope.</summary>
    private static void Shrink()
    {
        if (t_buffer is { Capacity: > KeptBytes })
        {
            (t_buffer, t_writer) = (null, null);
        }
    }

    private static ReadOnlySpan<byte> Write<T>(string type, string sessionId, long? seq, DateTimeOffset timestamp, T? data, JsonTypeInfo<T>? dataType)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WriteString("type", type);
        writer.WriteString("session_id", sessionId);
        writer.WriteString("task_id", sessionId);
        if (seq is { } n)
        {
            writer.WriteNumber("seq", n);
        }

        Span<char> time = stackalloc char[24];
        timestamp.UtcDateTime.TryFormat(time, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        writer.WriteString("timestamp", time[..written]);
        if (data is not null && dataType is not null)
        {
            writer.WritePropertyName("data");
            JsonSerializer.Serialize(writer, data, dataType);
        }

        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan;
    }
}
