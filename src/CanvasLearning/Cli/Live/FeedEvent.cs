using System.Text.Json;

namespace CanvasLearning.Cli.Live;

/// <summary>
/// One logged event of a session, as the socket sends it and the log stores it (the same frame):
/// its <see cref="Seq"/>, <see cref="Type"/>, the fields of <c>data</c> the terminal shows, and the
/// frame itself for <c>--json</c>.
/// </summary>
internal sealed record FeedEvent(long Seq, string Type, string Json)
{
    public string? NodeId { get; private init; }

    public string? GroupId { get; private init; }

    public string? FilePath { get; private init; }

    public string? ErrorType { get; private init; }

    public string? ErrorMessage { get; private init; }

    public long? DurationMs { get; private init; }

    /// <summary>The status of a <c>session_completed</c>.</summary>
    public string? Status { get; private init; }

    /// <summary>Reads a frame; null for anything that is not a logged event (no <c>seq</c>: connected, ping, error).</summary>
    public static FeedEvent? Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("seq", out var seq) || seq.ValueKind != JsonValueKind.Number
            || !root.TryGetProperty("type", out var type) || type.GetString() is not { } name)
        {
            return null;
        }

        var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        return new FeedEvent(seq.GetInt64(), name, json)
        {
            NodeId = Text(data, "node_id"),
            GroupId = Text(data, "group_id"),
            FilePath = Text(data, "file_path"),
            ErrorType = Text(data, "error_type"),
            ErrorMessage = Text(data, "error_message"),
            DurationMs = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("duration_ms", out var ms) && ms.ValueKind == JsonValueKind.Number ? ms.GetInt64() : null,
            Status = Text(data, "status"),
        };
    }

    private static string? Text(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
