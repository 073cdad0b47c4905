using System.Text;

namespace CanvasLearning.Canvas;

/// <summary>
/// Replaces a file so that readers (Obsidian, a crash-restarted server) see either the old
/// content or the new one, never a half-written file.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes UTF-8 text to a temporary file beside the target, flushes it, then renames over the target.</summary>
    public static async Task WriteAllTextAsync(string path, string contents, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(contents);
        cancellationToken.ThrowIfCancellationRequested();

        // Renaming over a symbolic link would replace the link itself; write where it points.
        var fullPath = Path.GetFullPath(path);
        var target = new FileInfo(fullPath);
        if (target.LinkTarget is not null)
        {
            fullPath = target.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? fullPath;
        }
        var directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        Directory.CreateDirectory(directory);

        // Same directory, so the rename stays on one file system and is atomic; the leading dot
        // keeps it out of Obsidian's file list; the guid keeps concurrent writers apart.
        var tempPath = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 4096, FileOptions.Asynchronous);
            await using (stream)
            {
                await stream.WriteAsync(Utf8NoBom.GetBytes(contents), cancellationToken);
                await stream.FlushAsync(cancellationToken);

                // Without this, a power cut after the rename can leave an empty file behind.
                stream.Flush(flushToDisk: true);
            }

            CopyUnixMode(fullPath, tempPath);
            cancellationToken.ThrowIfCancellationRequested();
            File.Move(tempPath, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    // The replacement should keep the permissions the user gave the original.
    private static void CopyUnixMode(string original, string replacement)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(original))
        {
            File.SetUnixFileMode(replacement, File.GetUnixFileMode(original));
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original error is the one worth reporting.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
