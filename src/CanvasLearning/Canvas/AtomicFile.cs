using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace CanvasLearning.Canvas;

/// <summary>
/// Replaces a file so that readers (Obsidian, a crash-restarted server) see either the old
/// content or the new one, never a half-written file.
/// </summary>
public static partial class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    // Names of the temporary files this process is writing right now: the clean-up never touches
    // them. Names, not paths: the guid makes them unique, and a folder can be spelled many ways.
    private static readonly ConcurrentDictionary<string, byte> InFlight = new(StringComparer.Ordinal);

    /// <summary>
    /// Writes UTF-8 text to a temporary file beside the target, flushes it to disk, renames it over
    /// the target, then flushes the folder so the rename is on disk too. When this returns, a power
    /// cut leaves the new content; before, the old one (or no file, for a new one).
    /// </summary>
    public static Task WriteAllTextAsync(string path, string contents, CancellationToken cancellationToken = default) =>
        WriteAllTextAsync(path, contents, OsFileSteps.Instance, cancellationToken);

    /// <summary>
    /// <see cref="WriteAllTextAsync(string, string, CancellationToken)"/> for a file that is usually
    /// new (an explanation): the same promise when the returned task completes, but the flush is
    /// shared with the other writes into the same folder's file system (<see cref="FileSystemFlush"/>)
    /// instead of one flush of the file and one of its folder each. A file replaced is still flushed
    /// before the rename, so a power cut leaves its old content or the new one. The write and the
    /// rename happen before this returns its task; only the wait for the shared flush is asynchronous.
    /// </summary>
    public static Task WriteNewTextAsync(string path, string contents, CancellationToken cancellationToken = default) =>
        WriteNewTextAsync(path, contents, OsFileSteps.Instance, cancellationToken);

    /// <summary><see cref="WriteNewTextAsync(string, string, CancellationToken)"/> through the given steps (a test's recorder).</summary>
    internal static Task WriteNewTextAsync(string path, string contents, IAtomicFileSteps steps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contents);
        return WriteAsync(path, Utf8NoBom.GetBytes(contents), steps, shareFlush: true, cancellationToken);
    }

    /// <summary><see cref="WriteAllTextAsync(string, string, CancellationToken)"/> of bytes, written as they are.</summary>
    public static Task WriteAllBytesAsync(string path, byte[] contents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contents);
        return WriteAsync(path, contents, OsFileSteps.Instance, shareFlush: false, cancellationToken);
    }

    /// <summary>
    /// <see cref="WriteAllBytesAsync(string, byte[], CancellationToken)"/> only while the target still
    /// holds what the caller last read of it: <paramref name="unchanged"/> is asked once the new content
    /// is in the temporary file, on another thread while that file is flushed to disk, so the window
    /// left for another program's save is the flush and the rename. When it answers false, the temporary
    /// file goes, the target is left as it is, and this returns false.
    /// </summary>
    public static Task<bool> ReplaceIfUnchangedAsync(string path, byte[] contents, Func<bool> unchanged, CancellationToken cancellationToken = default) =>
        ReplaceIfUnchangedAsync(path, contents, unchanged, OsFileSteps.Instance, cancellationToken);

    /// <summary><see cref="ReplaceIfUnchangedAsync(string, byte[], Func{bool}, CancellationToken)"/> through the given steps (a test's recorder).</summary>
    internal static async Task<bool> ReplaceIfUnchangedAsync(string path, byte[] contents, Func<bool> unchanged, IAtomicFileSteps steps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contents);
        ArgumentNullException.ThrowIfNull(unchanged);
        var (flush, replaced) = Write(path, contents, steps, shareFlush: false, unchanged, cancellationToken);
        await flush;
        return replaced;
    }

    /// <summary><see cref="WriteAllTextAsync(string, string, CancellationToken)"/> through the given steps (a test's recorder).</summary>
    internal static Task WriteAllTextAsync(string path, string contents, IAtomicFileSteps steps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contents);
        return WriteAsync(path, Utf8NoBom.GetBytes(contents), steps, shareFlush: false, cancellationToken);
    }

    // The steps are blocking system calls, taken on the caller's (pool) thread; the Task is for
    // callers that may one day write through an asynchronous file system.
    private static Task WriteAsync(string path, byte[] contents, IAtomicFileSteps steps, bool shareFlush, CancellationToken cancellationToken)
    {
        try
        {
            return Write(path, contents, steps, shareFlush, unchanged: null, cancellationToken).Flush;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    // Returns the shared flush to wait for, or a completed task once the file and its folder are flushed;
    // and whether the target was replaced (not when unchanged, given, said it had changed).
    private static (Task Flush, bool Replaced) Write(
        string path, byte[] contents, IAtomicFileSteps steps, bool shareFlush, Func<bool>? unchanged, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
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
        var tempName = TempName(Path.GetFileName(fullPath));
        var tempPath = Path.Combine(directory, tempName);

        // Taken before the write it will cover (see FileSystemFlush). Replacing a file keeps its own
        // flush before the rename: the rename must never make a half-written file the target.
        var shared = shareFlush ? FileSystemFlush.For(directory) : null;
        var replacing = File.Exists(fullPath);
        var flushFirst = shared is null || replacing;
        InFlight.TryAdd(tempName, 0);
        try
        {
            using (var handle = File.OpenHandle(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                steps.Write(handle, tempPath, contents);
                var check = unchanged is null ? null : Task.Run(unchanged, CancellationToken.None);

                // Without this, a power cut after the rename can leave an empty file behind.
                if (flushFirst)
                {
                    steps.FlushFile(handle, tempPath);
                }

                if (check is not null && !check.GetAwaiter().GetResult())
                {
                    handle.Dispose();
                    TryDelete(tempPath);
                    return (Task.CompletedTask, false);
                }
            }

            if (replacing)
            {
                CopyUnixMode(fullPath, tempPath);
            }

            cancellationToken.ThrowIfCancellationRequested();
            steps.Rename(tempPath, fullPath);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
        finally
        {
            InFlight.TryRemove(tempName, out _);
        }

        // Without this, a power cut can lose the rename itself: the folder would still name the old
        // file (or none) while the session store, written next, says the node is done. Not on the
        // caller's token: the new content is in place, and only this makes it last.
        if (shared is not null)
        {
            return (shared.FlushAsync(), true);
        }

        steps.FlushFolder(directory);
        return (Task.CompletedTask, true);
    }

    /// <summary>
    /// Deletes the temporary files that writes into <paramref name="directory"/> left behind when
    /// the process died between creating and renaming them. Only names of exactly our pattern
    /// (<c>.{name}.{32 hex digits}.tmp</c>) that no write of this process is using are removed;
    /// other files, links and sub-folders are left alone. Best effort: returns how many went.
    /// </summary>
    public static int DeleteStaleTempFiles(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var deleted = 0;
        try
        {
            // Hidden files included: ours start with a dot.
            var options = new EnumerationOptions { AttributesToSkip = 0, MatchType = MatchType.Simple };
            foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", options))
            {
                // A writer registers its name before it creates the file, so a write in progress
                // is always seen in InFlight; one that ended meanwhile has renamed its file away.
                if (IsTempName(file.Name) && !file.Attributes.HasFlag(FileAttributes.ReparsePoint)
                    && !InFlight.ContainsKey(file.Name) && TryDelete(file.FullName))
                {
                    deleted++;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A missing or unreadable folder has nothing of ours to clean.
        }

        return deleted;
    }

    /// <summary>True for names <see cref="WriteAllTextAsync(string, string, CancellationToken)"/> gives its temporary files.</summary>
    internal static bool IsTempName(string fileName) => TempNamePattern().IsMatch(fileName);

    internal static string TempName(string targetFileName) => $".{targetFileName}.{Guid.NewGuid():N}.tmp";

    // The replacement should keep the permissions the user gave the original.
    private static void CopyUnixMode(string original, string replacement)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(replacement, File.GetUnixFileMode(original));
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            // Best effort: the original error is the one worth reporting.
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    // ".{target name}.{Guid "N": 32 lower-case hex digits}.tmp", nothing more, nothing less.
    [GeneratedRegex(@"\A\..+\.[0-9a-f]{32}\.tmp\z", RegexOptions.CultureInvariant)]
    private static partial Regex TempNamePattern();
}
