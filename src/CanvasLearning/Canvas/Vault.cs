using System.Buffers;

namespace CanvasLearning.Canvas;

/// <summary>The vault root, and the rule that nothing resolves outside it.</summary>
public sealed class Vault(string root)
{
    private const string Example = "e.g. 'notes/math.canvas'";

    // Characters Obsidian refuses in names and Windows cannot store; ':' also blocks NTFS streams.
    private static readonly SearchValues<char> ForbiddenChars = SearchValues.Create("<>:\"|?*");

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>
    /// Resolves a vault-relative canvas path. Throws <see cref="VaultPathException"/> with
    /// <c>invalid_request</c> when it is empty, absolute, not a .canvas file or resolves outside the
    /// vault (.., links out), and <c>canvas_not_found</c> when no such file exists.
    /// </summary>
    public string ResolveCanvas(string relativePath)
    {
        if (string.IsNullOrWhiteSpace(relativePath))
        {
            throw Invalid($"canvas_path is required: give the path of the canvas relative to the vault root, {Example}.");
        }

        var normalized = relativePath.Replace('\\', '/');
        if (normalized.StartsWith('/') || (normalized.Length >= 2 && char.IsAsciiLetter(normalized[0]) && normalized[1] == ':'))
        {
            throw Invalid($"canvas_path must be relative to the vault root, {Example}; absolute paths are not accepted.");
        }

        if (normalized.Any(char.IsControl) || normalized.AsSpan().ContainsAny(ForbiddenChars))
        {
            throw Invalid($"canvas_path contains a character that is not allowed in file names (control characters or < > : \" | ? *); give a plain relative path, {Example}.");
        }

        if (!string.Equals(Path.GetExtension(normalized), ".canvas", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid($"canvas_path must name a .canvas file, {Example}.");
        }

        var fullPath = Path.GetFullPath(Path.Combine(Root, normalized.Replace('/', Path.DirectorySeparatorChar)));
        if (!IsUnder(fullPath, Root))
        {
            throw Invalid($"canvas_path must stay inside the vault; '..' cannot lead out of it. Give a path relative to the vault root, {Example}.");
        }

        if (!Contains(fullPath))
        {
            throw Invalid("canvas_path goes through a link that leads outside the vault; move the canvas into the vault or give its path inside the vault.");
        }

        if (!File.Exists(fullPath))
        {
            throw new VaultPathException("canvas_not_found", $"No canvas at '{normalized}' in the vault; check the path (it is relative to the vault root, {Example}).");
        }

        return fullPath;
    }

    /// <summary>The vault-relative form of a path inside the vault, with forward slashes.</summary>
    public string ToRelative(string fullPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fullPath);
        var full = Path.GetFullPath(fullPath);
        if (!IsUnder(full, Root))
        {
            throw new ArgumentException($"'{fullPath}' is not inside the vault.", nameof(fullPath));
        }

        return Path.GetRelativePath(Root, full).Replace('\\', '/');
    }

    /// <summary>
    /// True when <paramref name="fullPath"/>, with every link along it resolved, lies inside the
    /// vault (also with the vault root's own links resolved). Parts that do not exist yet are fine.
    /// </summary>
    public bool Contains(string fullPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fullPath);
        try
        {
            return IsUnder(RealPath.Resolve(Path.GetFullPath(fullPath)), RealPath.Resolve(Root));
        }
        catch (IOException)
        {
            // Link loops or unreadable links: refusing is the safe answer.
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsUnder(string path, string root)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
            ? StringComparison.OrdinalIgnoreCase
            : StringComparison.Ordinal;
        var trimmedRoot = Path.TrimEndingDirectorySeparator(root);
        return string.Equals(Path.TrimEndingDirectorySeparator(path), trimmedRoot, comparison)
            || path.StartsWith(trimmedRoot + Path.DirectorySeparatorChar, comparison);
    }

    private static VaultPathException Invalid(string message) => new("invalid_request", message);
}

public sealed class VaultPathException(string errorCode, string message) : Exception(message)
{
    /// <summary><c>invalid_request</c> or <c>canvas_not_found</c>.</summary>
    public string ErrorCode { get; } = errorCode;
}
