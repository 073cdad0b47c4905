using CanvasLearning.Canvas;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Dashboard;

/// <summary>
/// The canvases of the vault, for the dashboard's picker. Hidden folders (<c>.obsidian</c>,
/// <c>.trash</c>, the service's own <c>.canvas-learning</c>) are skipped, and so is anything a link
/// leads outside the vault.
/// </summary>
public sealed class VaultCatalog(Vault vault, IOptions<DashboardOptions> options, ILogger<VaultCatalog> logger)
{
    private static readonly EnumerationOptions Walk = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        MatchCasing = MatchCasing.CaseInsensitive,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
        // Links to folders are followed by the walk; a bound keeps a loop of them finite.
        MaxRecursionDepth = 32,
    };

    public async Task<CanvasListResponse> ListAsync(CancellationToken cancellationToken = default)
    {
        var limit = options.Value.MaxCanvases;
        var found = new List<string>();
        var truncated = false;
        foreach (var file in Directory.EnumerateFiles(vault.Root, "*.canvas", Walk))
        {
            if (IsHidden(file) || !vault.Contains(file))
            {
                continue;
            }

            if (found.Count == limit)
            {
                truncated = true;
                break;
            }

            found.Add(file);
        }

        var canvases = new List<VaultCanvas>(found.Count);
        foreach (var file in found)
        {
            canvases.Add(await DescribeAsync(file, cancellationToken));
        }

        canvases.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new CanvasListResponse(canvases, truncated);
    }

    private async Task<VaultCanvas> DescribeAsync(string file, CancellationToken cancellationToken)
    {
        var info = new FileInfo(file);
        var path = vault.ToRelative(file);
        var modified = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
        if (info.Length > options.Value.MaxCanvasBytes)
        {
            return new VaultCanvas(path, info.Length, modified, 0, [], $"larger than {options.Value.MaxCanvasBytes} bytes (Dashboard:MaxCanvasBytes); not counted");
        }

        try
        {
            var document = CanvasDocument.Parse(await File.ReadAllTextAsync(file, cancellationToken));
            var colors = document.Nodes
                .Where(n => n.Type == CanvasNodeTypes.Text)
                .GroupBy(n => Normalize(n.Color))
                .Select(g => new ColorCount(g.Key, g.Count()))
                .OrderByDescending(c => c.TextNodes).ThenBy(c => c.Color, StringComparer.Ordinal)
                .ToList();
            return new VaultCanvas(path, info.Length, modified, colors.Sum(c => c.TextNodes), colors, null);
        }
        catch (CanvasFormatException ex)
        {
            return new VaultCanvas(path, info.Length, modified, 0, [], ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            DashboardLog.CanvasUnreadable(logger, path, ex);
            return new VaultCanvas(path, info.Length, modified, 0, [], "the file could not be read");
        }
    }

    /// <summary>The form the analyzer compares ("6", "#a1b2c3"); null for no color, other values as written.</summary>
    private static string? Normalize(string? color) =>
        string.IsNullOrWhiteSpace(color) ? null : CanvasColors.TryNormalize(color, out var normal) ? normal : color.Trim();

    /// <summary>Dot folders inside the vault (the walk skips hidden entries, but not on every platform by name).</summary>
    private bool IsHidden(string file) =>
        Path.GetRelativePath(vault.Root, file).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.'));
}
