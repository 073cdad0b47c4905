using System.Buffers;
using CanvasLearning.Api;
using CanvasLearning.Canvas;

namespace CanvasLearning.Dashboard;

/// <summary>Vault-relative Markdown paths, confined to the vault the way canvas paths are.</summary>
internal static class NotePaths
{
    private const string Example = "e.g. 'study-explanations/oral-explanation - 什么是双射.md'";
    private static readonly SearchValues<char> Forbidden = SearchValues.Create("<>:\"|?*");

    /// <summary>The full path and the normalized relative one; refusals are 400 <c>invalid_request</c> or 404 <c>note_not_found</c>.</summary>
    public static (string FullPath, string RelativePath) Resolve(Vault vault, string? relativePath)
    {
        if (string.IsNullOrWhiteSpace(relativePath))
        {
            throw RequestException.Invalid("path", $"is required: the note's path relative to the vault root, {Example}");
        }

        var normalized = relativePath.Replace('\\', '/');
        if (normalized.StartsWith('/') || (normalized.Length >= 2 && char.IsAsciiLetter(normalized[0]) && normalized[1] == ':'))
        {
            throw RequestException.Invalid("path", $"must be relative to the vault root, {Example}");
        }

        if (normalized.Any(char.IsControl) || normalized.AsSpan().ContainsAny(Forbidden))
        {
            throw RequestException.Invalid("path", "contains a character that is not allowed in file names (control characters or < > : \" | ? *)");
        }

        if (!string.Equals(Path.GetExtension(normalized), ".md", StringComparison.OrdinalIgnoreCase))
        {
            throw RequestException.Invalid("path", $"must name a Markdown (.md) file, {Example}");
        }

        var full = Path.GetFullPath(Path.Combine(vault.Root, normalized.Replace('/', Path.DirectorySeparatorChar)));
        var root = Path.TrimEndingDirectorySeparator(vault.Root) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase))
        {
            throw RequestException.Invalid("path", "must stay inside the vault; '..' cannot lead out of it");
        }

        if (!vault.Contains(full))
        {
            throw RequestException.Invalid("path", "goes through a link that leads outside the vault");
        }

        if (!File.Exists(full))
        {
            throw new RequestException(StatusCodes.Status404NotFound, "note_not_found", $"no note at '{normalized}' in the vault");
        }

        return (full, vault.ToRelative(full));
    }
}
