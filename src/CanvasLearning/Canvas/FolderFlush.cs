using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace CanvasLearning.Canvas;

/// <summary>
/// Flushes a folder's own entries to disk (fsync of the directory), so that a rename into it
/// survives a power cut: flushing the renamed file writes its bytes, not the name that points at
/// them. .NET cannot open a directory (File.OpenHandle refuses with "access denied"), so the
/// descriptor comes from libc's <c>open</c>; the flush and the close are .NET's own.
/// </summary>
internal static class FolderFlush
{
    private const int ReadOnly = 0; // O_RDONLY, the same everywhere

    /// <summary>
    /// Flushes <paramref name="directory"/>. True when it was flushed (or its file system has no
    /// such thing, as .NET's own flush of files treats EINVAL, ENOTSUP and EROFS); false where
    /// there is no way to: on Windows, where a directory cannot be opened so, and for a folder this
    /// process cannot open (gone, or not readable). A failing flush (EIO) throws <see cref="IOException"/>:
    /// the rename may not be on disk, and the caller must not report the write as done.
    /// </summary>
    public static bool Flush(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        using var handle = Open(directory);
        if (handle is null)
        {
            return false;
        }

        RandomAccess.FlushToDisk(handle);
        return true;
    }

    /// <summary>A read-only descriptor of <paramref name="directory"/>, or null when it cannot be opened (or on Windows).</summary>
    public static SafeFileHandle? Open(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        // A NUL-terminated UTF-8 path, which is what open(2) reads.
        var fd = Native.Open(Encoding.UTF8.GetBytes(directory + "\0"), ReadOnly | CloseOnExec());
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    // O_CLOEXEC, so a child process started meanwhile does not inherit the descriptor.
    private static int CloseOnExec() =>
        OperatingSystem.IsLinux() ? 0x80000
        : OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() || OperatingSystem.IsTvOS() || OperatingSystem.IsMacCatalyst() ? 0x1000000
        : OperatingSystem.IsFreeBSD() ? 0x100000
        : 0;

    private static class Native
    {
        // open(2) takes a third, variadic argument only with O_CREAT; none is passed here.
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Open(byte[] path, int flags);
    }
}
