namespace CanvasLearning.Canvas;

/// <summary>
/// The physical path of a file: every symbolic link along it followed, like realpath(3).
/// Checking only the last link (ResolveLinkTarget) would miss a link in a parent directory
/// or a link whose target passes through another link.
/// </summary>
internal static class RealPath
{
    // Same bound as Linux's MAXSYMLINKS: more hops than this is a loop.
    private const int MaxLinkHops = 40;

    public static string Resolve(string fullPath)
    {
        var hops = 0;
        return Resolve(fullPath, ref hops);
    }

    private static string Resolve(string fullPath, ref int hops)
    {
        var root = Path.GetPathRoot(fullPath) ?? throw new IOException($"'{fullPath}' is not a full path.");
        var current = root;
        var segments = fullPath[root.Length..].Split(
            [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);

        foreach (var segment in segments)
        {
            if (segment == ".")
            {
                continue;
            }

            // ".." is taken from the physical current directory, which has no links left in it.
            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Combine(current, segment);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is not { } target)
            {
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                throw new IOException($"Too many symbolic links while resolving '{fullPath}'.");
            }

            // A relative target is relative to the directory holding the link.
            current = Resolve(Path.IsPathRooted(target) ? target : Path.Combine(current, target), ref hops);
        }

        return current;
    }
}
