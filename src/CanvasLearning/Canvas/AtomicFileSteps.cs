namespace CanvasLearning.Canvas;

/// <summary>
/// The operating-system steps of <see cref="AtomicFile.WriteAllTextAsync(string, string, CancellationToken)"/>,
/// each of which the replace takes in this order. A seam for the unit test that checks the order
/// (it wraps <see cref="OsFileSteps"/>); everything else uses <see cref="OsFileSteps.Instance"/>.
/// </summary>
internal interface IAtomicFileSteps
{
    /// <summary>Writes the new content into the temporary file.</summary>
    ValueTask WriteAsync(FileStream temp, ReadOnlyMemory<byte> contents, CancellationToken cancellationToken);

    /// <summary>Flushes the temporary file's bytes to disk (fsync), before the rename makes them the target.</summary>
    void FlushFile(FileStream temp);

    /// <summary>Renames the temporary file over the target (atomic on one file system).</summary>
    void Rename(string tempPath, string targetPath);

    /// <summary>Flushes the folder holding both (fsync of the directory), so the rename itself is on disk.</summary>
    void FlushFolder(string directory);
}

internal sealed class OsFileSteps : IAtomicFileSteps
{
    public static OsFileSteps Instance { get; } = new();

    public async ValueTask WriteAsync(FileStream temp, ReadOnlyMemory<byte> contents, CancellationToken cancellationToken)
    {
        await temp.WriteAsync(contents, cancellationToken);
        await temp.FlushAsync(cancellationToken);
    }

    public void FlushFile(FileStream temp) => temp.Flush(flushToDisk: true);

    public void Rename(string tempPath, string targetPath) => File.Move(tempPath, targetPath, overwrite: true);

    public void FlushFolder(string directory) => FolderFlush.Flush(directory);
}
