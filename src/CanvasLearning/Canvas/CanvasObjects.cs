namespace CanvasLearning.Canvas;

public sealed record CanvasNode(
    string Id, string Type, double X, double Y, double Width, double Height,
    string? Color = null, string? Text = null, string? File = null)
{
    /// <summary>For <c>file</c> nodes: a heading or block inside the file, starting with #.</summary>
    public string? Subpath { get; init; }

    /// <summary>For <c>link</c> nodes.</summary>
    public string? Url { get; init; }

    /// <summary>For <c>group</c> nodes.</summary>
    public string? Label { get; init; }

    public double Right => X + Width;

    public double Bottom => Y + Height;
}

public sealed record CanvasEdge(
    string Id, string FromNode, string ToNode,
    string? FromSide = null, string? ToSide = null, string? Label = null)
{
    /// <summary><c>none</c> or <c>arrow</c>.</summary>
    public string? FromEnd { get; init; }

    public string? ToEnd { get; init; }

    public string? Color { get; init; }
}

/// <summary>The node types of JSON Canvas 1.0; other types are kept but not interpreted.</summary>
public static class CanvasNodeTypes
{
    public const string Text = "text";
    public const string File = "file";
    public const string Link = "link";
    public const string Group = "group";
}

public sealed class CanvasFormatException(string message, Exception? inner = null) : Exception(message, inner);
