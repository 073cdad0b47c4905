namespace CanvasLearning.Dashboard;

/// <summary>Answer of <c>GET /api/v1/vault/canvases</c>: the vault's canvases, by path.</summary>
/// <param name="Truncated">True when the vault holds more than <c>Dashboard:MaxCanvases</c> canvases.</param>
public sealed record CanvasListResponse(IReadOnlyList<VaultCanvas> Canvases, bool Truncated);

/// <summary>One canvas of the vault and how many text nodes it has of each color.</summary>
/// <param name="Path">Relative to the vault, <c>/</c>-separated: what <c>canvas_path</c> takes.</param>
/// <param name="Colors">Text nodes per color ("1".."6", "#rrggbb", or null for none), most first.</param>
/// <param name="Error">Why the counts are missing (not valid JSON Canvas, too large, unreadable); null when they are there.</param>
public sealed record VaultCanvas(string Path, long Size, DateTimeOffset ModifiedAt, int TextNodes, IReadOnlyList<ColorCount> Colors, string? Error);

public sealed record ColorCount(string? Color, int TextNodes);

/// <summary>Answer of <c>GET /api/v1/vault/render?path=</c>: a note of the vault as sanitized HTML.</summary>
public sealed record RenderedNote(string Path, string Html, long Size, DateTimeOffset ModifiedAt);

/// <summary>Answer of <c>GET /dashboard/config</c>: what the page must know before its first call.</summary>
public sealed record DashboardConfig(bool ApiKeyRequired);
