namespace CanvasLearning.Canvas;

// CONTRACT STUB: to be implemented.
public static class AtomicFile
{
    /// <summary>Writes UTF-8 text to a temporary file beside the target, flushes it, then renames over the target.</summary>
    public static Task WriteAllTextAsync(string path, string contents, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
