using System.Buffers;

namespace CanvasLearning.Canvas;

/// <summary>
/// Whether a file still holds bytes we know, read in pooled pieces: a 5 MB canvas compared this way
/// costs no 5 MB array (each of which the GC must also reclaim from its large-object heap).
/// </summary>
internal static class FileContent
{
    private const int Chunk = 1024 * 1024;

    /// <summary>True when the file's bytes are exactly <paramref name="expected"/>; false when they differ or the file is gone.</summary>
    /// <remarks>
    /// Plain reads at offsets: the file was just read or written, so its pages are in memory, and
    /// one read per megabyte costs less than a trip through the thread pool per piece.
    /// </remarks>
    public static bool Is(string path, ReadOnlySpan<byte> expected)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }

        using (handle)
        {
            if (RandomAccess.GetLength(handle) != expected.Length)
            {
                return false;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(Chunk, Math.Max(1, expected.Length)));
            try
            {
                for (var offset = 0; ;)
                {
                    var read = RandomAccess.Read(handle, buffer, offset);
                    if (read == 0)
                    {
                        return offset == expected.Length;
                    }

                    if (offset + read > expected.Length || !buffer.AsSpan(0, read).SequenceEqual(expected.Slice(offset, read)))
                    {
                        return false;
                    }

                    offset += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
