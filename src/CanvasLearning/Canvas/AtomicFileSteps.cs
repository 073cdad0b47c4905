using Microsoft.Win32.SafeHandles;

namespace CanvasLearning.Canvas;

/// <summary>
/// The operating-system steps of <see cref="AtomicFile.WriteAllTextAsync(string, string, CancellationToken)"/>,
/// each of which the replace takes in this order. A seam for the unit test that checks the order
/// (it wraps <see cref="OsFileSteps"/>); everything else uses <see cref="OsFileSteps.Instance"/>.
/// </summary>
internal interface IAtomicFileSteps
{
    /// <summary>Writes the new content into the temporary file (at <paramref name="tempPath"/>).</summary>
    void Write(SafeFileHandle temp, string tempPath, ReadOnlySpan<byte> contents);

    /// <summary>Flushes the temporary file's bytes to disk (fsync), before the rename makes them the target.</summary>
    void FlushFile(SafeFileHandle temp, string tempPath);

    /// <summary>Renames the temporary file over the target (atomic on one file system).</summary>
    void Rename(string tempPath, string targetPath);

    /// <summary>Flushes the folder holding both (fsync of the directory), so the rename itself is on disk.</summary>
    void FlushFolder(string directory);
}

internal sealed class OsFileSteps : IAtomicFileSteps
{
    public static OsFileSteps Instance { get; } = new();

    // One write(2) from the caller's thread: on Linux an "asynchronous" file write is the same
    // blocking call made on another pool thread, plus a buffer, a stream and the hops between them.
    public void Write(SafeFileHandle temp, string tempPath, ReadOnlySpan<byte> contents) => RandomAccess.Write(temp, contents, fileOffset: 0);

    public void FlushFile(SafeFileHandle temp, string tempPath) => RandomAccess.FlushToDisk(temp);

    public void Rename(string tempPath, string targetPath) => File.Move(tempPath, targetPath, overwrite: true);

    public void FlushFolder(string directory) => FolderFlush.Flush(directory);
}
