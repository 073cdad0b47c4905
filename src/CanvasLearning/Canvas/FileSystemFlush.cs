using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace CanvasLearning.Canvas;

/// <summary>
/// One flush of a folder's whole file system (<c>syncfs</c>) shared by every write waiting on it: a
/// group flush, as the session store shares one commit among the results waiting. A write that has
/// renamed its new file into place waits for a flush that <em>started</em> after its rename; that
/// flush puts the file's bytes and its name on disk together, so a thousand new files cost a few
/// dozen flushes instead of two thousand. One per file system (a device), for the process. Linux
/// only: elsewhere, or when the folder cannot be opened, <see cref="For"/> gives none and the caller
/// flushes its file and folder itself.
/// </summary>
internal sealed class FileSystemFlush
{
    private static readonly Lock Creating = new();
    private static readonly ConcurrentDictionary<(uint Major, uint Minor), FileSystemFlush> Devices = new();

    private readonly Func<IOException?> _flush;
    private readonly Lock _lock = new();
    private List<TaskCompletionSource>? _waiting;
    private bool _flushing;
    private long _flushes;

    /// <summary>A group whose flush is <paramref name="flush"/> (null when it succeeded): the real ones come from <see cref="For"/>.</summary>
    internal FileSystemFlush(Func<IOException?> flush) => _flush = flush;

    /// <summary>How many flushes have started.</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>
    /// The group of the file system holding <paramref name="directory"/> (a full path), to take
    /// <em>before</em> writing the files it will cover; null where there is no such flush (not
    /// Linux, or the folder cannot be read).
    /// </summary>
    public static FileSystemFlush? For(string directory)
    {
        if (!OperatingSystem.IsLinux() || Native.Device(directory) is not { } device)
        {
            return null;
        }

        if (Devices.TryGetValue(device, out var known))
        {
            return known;
        }

        // One descriptor per file system: made under the lock, so two first writers do not open two.
        lock (Creating)
        {
            if (Devices.TryGetValue(device, out known))
            {
                return known;
            }

            // Opened before any write it covers, and kept open: syncfs reports the write-back errors
            // of its file system since this descriptor was opened, so one opened later could miss one.
            if (FolderFlush.Open(directory) is not { } folder)
            {
                return null;
            }

            var group = new FileSystemFlush(() => Native.SyncFs(folder, directory));
            Devices[device] = group;
            return group;
        }
    }

    /// <summary>
    /// Completes once a flush that started after this call has put everything written before it on
    /// disk; faults with <see cref="IOException"/> when that flush reported an error (the writes may
    /// not be on disk). Never cancelled: a write whose file is in place waits for it to last.
    /// </summary>
    public Task FlushAsync()
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_lock)
        {
            (_waiting ??= []).Add(waiter);
            start = !_flushing;
            _flushing = true;
        }

        if (start)
        {
            // The flush blocks: one pool thread per file system at a time, while writes gather for the next.
            ThreadPool.UnsafeQueueUserWorkItem(static group => group.Run(), this, preferLocal: false);
        }

        return waiter.Task;
    }

    private void Run()
    {
        while (true)
        {
            List<TaskCompletionSource> batch;
            lock (_lock)
            {
                if (_waiting is not { Count: > 0 } waiting)
                {
                    _flushing = false;
                    return;
                }

                batch = waiting;
                _waiting = null;
            }

            Interlocked.Increment(ref _flushes);
            IOException? error;
            try
            {
                error = _flush();
            }
            catch (Exception ex)
            {
                error = new IOException($"flushing to disk failed: {ex.Message}", ex);
            }

            foreach (var waiter in batch)
            {
                if (error is null)
                {
                    waiter.TrySetResult();
                }
                else
                {
                    waiter.TrySetException(error);
                }
            }
        }
    }

    private static class Native
    {
        private const int CurrentDirectory = -100; // AT_FDCWD
        private const uint Inode = 0x100; // STATX_INO: the device comes with any mask

        // struct statx is the same on every Linux architecture: 256 bytes, the device at 136 and 140.
        private const int StatxSize = 256;
        private const int DeviceMajor = 136;
        private const int DeviceMinor = 140;

        public static (uint Major, uint Minor)? Device(string path)
        {
            Span<byte> buffer = stackalloc byte[StatxSize];
            var name = Encoding.UTF8.GetBytes(path + "\0");
            if (Statx(CurrentDirectory, name, 0, Inode, ref MemoryMarshal.GetReference(buffer)) != 0)
            {
                return null;
            }

            return (BitConverter.ToUInt32(buffer[DeviceMajor..]), BitConverter.ToUInt32(buffer[DeviceMinor..]));
        }

        public static IOException? SyncFs(SafeFileHandle folder, string directory)
        {
            if (SyncFs(folder) == 0)
            {
                return null;
            }

            var errno = Marshal.GetLastPInvokeError();
            return new IOException($"flushing the file system of '{directory}' to disk failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int Statx(int directoryFd, byte[] path, int flags, uint mask, ref byte statx);

        [DllImport("libc", EntryPoint = "syncfs", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int SyncFs(SafeFileHandle fd);
    }
}
