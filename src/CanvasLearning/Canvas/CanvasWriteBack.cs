using System.Collections.Concurrent;

namespace CanvasLearning.Canvas;

/// <summary>
/// Adds explanation nodes to canvas files. One writer per canvas file in the process: register
/// one instance as a singleton, because the per-file queues live in the instance.
/// </summary>
/// <remarks>
/// Requests for one canvas are coalesced: while a write of that canvas is under way, new requests
/// queue up, and the next write applies every queued placement in one read-modify-write. Each
/// write is followed by a pause before the next write of that canvas (three times as long as writing
/// the file took, at most 0.1 s), so a big canvas is not rewritten back to back while its results
/// stream in. A write with no pause due waits as long while announced placements (<see cref="Expect"/>)
/// are still on their way, so a session's first results do not cost a write of their own. Either
/// pause ends early once every placement announced has come. A
/// caller's task completes only once the write holding its placement has been renamed into place,
/// and fails with that write's exception when it fails. Cancelling a caller drops its placement if
/// no write has taken it yet; the others are written regardless, since the write itself never
/// runs on a caller's token.
/// </remarks>
/// <param name="cache">
/// Where the writer finds the parse of the bytes it reads (analyze's, or its own last write's) and
/// leaves the document of what it wrote; without one, every batch parses the file.
/// </param>
/// <param name="time">The clock the pause between two writes of one canvas is measured and taken on: the machine's (the default), or a test's.</param>
public sealed partial class CanvasWriteBack(CanvasCache? cache = null, TimeProvider? time = null)
{
    // A file node shows the start of the note; 400 wide as Obsidian makes one, less tall so it
    // finds room beside cards on dense canvases.
    public const double NodeWidth = 400;
    public const double NodeHeight = 300;

    // Obsidian (or the user) may save the file between our read and our rename; after this
    // many lost races in a row we write anyway rather than never finishing.
    private const int MaxAttempts = 5;

    // After a write, the next one of the same canvas waits this many times as long as the write
    // took (serializing, the temporary file, fsync, rename; not the placing), at most MaxPause: a
    // big canvas is rewritten a few times a second, not back to back, so its writes (and Obsidian's
    // reloads of the file) take a quarter of the time or less; a small one (a few milliseconds a
    // write) hardly waits. The last write of a session waits for nothing: once every announced
    // placement has come, the pause ends.
    private const double PauseFactor = 3;
    private static readonly TimeSpan MaxPause = TimeSpan.FromMilliseconds(100);

    // What a first write of a canvas is expected to cost, before this process has written it: bytes
    // per second serialized and written (temporary file, fsync, rename). A 5 MB canvas takes 15–40 ms
    // on an SSD; assuming less speed only makes that one pause longer, and it is capped anyway.
    private const double AssumedWriteSpeed = 100e6;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    // One entry per canvas written by this process; canvases are few, so entries are never removed.
    private readonly ConcurrentDictionary<string, CanvasQueue> _queues = new(StringComparer.Ordinal);
    private long _rewrites;

    /// <summary>How many times this instance has replaced a canvas file (one per coalesced batch that added something).</summary>
    public long Rewrites => Interlocked.Read(ref _rewrites);

    /// <summary>Test hook: awaited by the writer before it reads the canvas (full path) for a batch of that many requests.</summary>
    internal Func<string, int, Task>? BeforeBatch { get; set; }

    /// <summary>Test hook: awaited by the writer between serializing a canvas and writing the file, as part of the write.</summary>
    internal Func<Task>? WhileWriting { get; set; }

    /// <summary>How many placements were announced for the canvas (<see cref="Expect"/>), and how many of them have come.</summary>
    internal (long Announced, long Arrived) Expectations(string canvasFullPath) =>
        _queues.TryGetValue(Path.GetFullPath(canvasFullPath), out var queue) ? queue.Expectations : (0, 0);

    /// <summary>Requests waiting for the next write of the canvas (not counting the batch being written).</summary>
    internal int QueuedCount(string canvasFullPath) =>
        _queues.TryGetValue(Path.GetFullPath(canvasFullPath), out var queue) ? queue.Count : 0;

    /// <summary>
    /// Adds a <c>file</c> node for the explanation in free space next to its source node and an edge
    /// labelled with the agent type. Idempotent: when the canvas already has a file node of
    /// <see cref="ExplanationPlacement.FileVaultPath"/> (or of <see cref="ExplanationPlacement.FileNodeId"/>)
    /// nothing moves and nothing is duplicated. Missing source node: the file node is still added, without edge.
    /// </summary>
    public Task AddExplanationAsync(string canvasFullPath, ExplanationPlacement placement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(placement);
        return AddExplanationsAsync(canvasFullPath, [placement], cancellationToken);
    }

    /// <summary>
    /// Announces a placement on its way to the canvas (an agent is explaining its concept, say).
    /// While announced placements have not all come (queued with
    /// <see cref="AddExplanationsAsync(string, IReadOnlyList{ExplanationPlacement}, ExpectedPlacement?, CancellationToken)"/>,
    /// or given up by disposing them), the pause after a write gathers the next ones; once the last
    /// has come, the next write starts at once: the end of a session is not held back by a pause.
    /// </summary>
    public ExpectedPlacement Expect(string canvasFullPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(canvasFullPath);
        return new ExpectedPlacement(QueueOf(canvasFullPath));
    }

    /// <summary>
    /// <see cref="AddExplanationAsync"/> for several placements, written together (and together
    /// with whatever other callers queued for the same canvas meanwhile).
    /// Returns how many of these placements added a file node (0 when all were already there).
    /// </summary>
    public Task<int> AddExplanationsAsync(string canvasFullPath, IReadOnlyList<ExplanationPlacement> placements, CancellationToken cancellationToken = default) =>
        AddExplanationsAsync(canvasFullPath, placements, null, cancellationToken);

    /// <inheritdoc cref="AddExplanationsAsync(string, IReadOnlyList{ExplanationPlacement}, CancellationToken)"/>
    /// <param name="canvasFullPath">The canvas file.</param>
    /// <param name="placements">What to add.</param>
    /// <param name="expected">The announcement of these placements (<see cref="Expect"/>): settled once they are queued (or refused).</param>
    /// <param name="cancellationToken">Withdraws the placements while no write has taken them.</param>
    public async Task<int> AddExplanationsAsync(
        string canvasFullPath, IReadOnlyList<ExplanationPlacement> placements, ExpectedPlacement? expected, CancellationToken cancellationToken = default)
    {
        using var announced = expected;
        ArgumentException.ThrowIfNullOrWhiteSpace(canvasFullPath);
        ArgumentNullException.ThrowIfNull(placements);
        foreach (var placement in placements)
        {
            Validate(placement);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var queue = QueueOf(canvasFullPath);
        var request = new Request([.. placements]);
        var start = queue.Enqueue(request);
        announced?.Dispose();
        if (start)
        {
            // Off the caller's stack and token: the writer serves every caller queued behind it.
            _ = Task.Run(() => DrainAsync(queue), CancellationToken.None);
        }

        // Cancelled while still queued: withdrawn, and no write will hold it. Cancelled once a
        // write took it: the caller stops waiting, the write goes on for the others (an explanation
        // written anyway is harmless, a re-run finds it by its id).
        using var registration = cancellationToken.Register(() =>
        {
            queue.Withdraw(request);
            request.Completion.TrySetCanceled(cancellationToken);
        });
        return await request.Completion.Task;
    }

    /// <summary>
    /// The pause before a write with no pause due while results are on their way: as after a write,
    /// three times as long as writing the file should take (its size at <see cref="AssumedWriteSpeed"/>),
    /// at most <see cref="MaxPause"/>; a few milliseconds for a small canvas, the whole 0.1 s from about
    /// 3 MB on. It ends as soon as the last announced result has come.
    /// </summary>
    internal long GatheringTicks(string canvasFullPath)
    {
        long bytes;
        try
        {
            bytes = new FileInfo(canvasFullPath).Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The write that follows meets the same problem and reports it; no reason to wait for it.
            return 0;
        }

        var seconds = Math.Min(PauseFactor * bytes / AssumedWriteSpeed, MaxPause.TotalSeconds);
        return (long)(seconds * _time.TimestampFrequency);
    }

    private CanvasQueue QueueOf(string canvasFullPath) => _queues.GetOrAdd(Path.GetFullPath(canvasFullPath), static p => new CanvasQueue(p));

    /// <summary>One writer per canvas at a time: takes everything queued, writes it, and repeats until nothing is left.</summary>
    private async Task DrainAsync(CanvasQueue queue)
    {
        // What the last write of this loop left, for the next batch while the writer keeps busy.
        Kept? kept = null;

        // The next batch's start from the cache, made ready beside a pause (see below), or null.
        Task<Kept?>? ready = null;
        while (true)
        {
            // At most MaxPause: NotBefore is never set further ahead than that. No pause due, but
            // results still on their way: a write starting now would hold only the first of them and
            // the file would be written again for the rest, so it gathers them first.
            var ticks = queue.NotBefore - _time.GetTimestamp();
            if (ticks <= 0 && queue.Outstanding)
            {
                ticks = GatheringTicks(queue.Path);
            }

            if (ticks > 0)
            {
                // While the results gather, what the next write edits is made ready (the document
                // and its index) from what the cache holds, off this loop: whatever fails there fails
                // the batch, below, not the writer. The file is compared with it before the rename.
                if (kept is null && ready is null && cache is not null)
                {
                    ready = Task.Run(() => Prepared(queue.Path), CancellationToken.None);
                }

                await queue.PauseAsync(TimeSpan.FromSeconds(ticks / (double)_time.TimestampFrequency), _time);
            }

            if (queue.TakeBatch() is not { } batch)
            {
                return;
            }

            try
            {
                if (BeforeBatch is { } hook)
                {
                    await hook(queue.Path, batch.Count);
                }

                // Taken out first: a batch that fails leaves nothing half-changed behind.
                var (previous, preparing) = (kept, ready);
                (kept, ready) = (null, null);
                previous ??= preparing is null ? null : await preparing;
                (var added, kept, var writing) = await ApplyBatchAsync(queue.Path, batch, previous);
                if (writing >= 0)
                {
                    queue.NotBefore = _time.GetTimestamp() + Math.Min((long)(writing * PauseFactor), (long)(MaxPause.TotalSeconds * _time.TimestampFrequency));
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(added[i]);
                }

                // Nothing waiting: hand what we wrote to analyze and the next session (after the
                // callers are answered: it is not their wait). Frozen from now on; a batch that still
                // comes in edits a fork of it.
                if (kept is not null && cache is not null && queue.Count == 0)
                {
                    cache.Remember(queue.Path, kept.Bytes, kept.Document);
                }
                else if (kept is null && writing >= 0)
                {
                    // Written, but with no document of what was written (see Successor): what the
                    // cache holds is the file as it was, so the next batch starts by reading it.
                    cache?.Forget(queue.Path);
                }
            }
            catch (Exception ex)
            {
                // The canvas is the same for the whole batch, so is the failure: every caller gets it.
                foreach (var request in batch)
                {
                    request.Completion.TrySetException(ex);
                }
            }
        }
    }

    /// <returns>
    /// For each request, how many of its placements added a file node; what the next batch can start
    /// from; how long (<see cref="TimeProvider"/> ticks) writing the file took, serializing to rename, -1 when it was not written.
    /// </returns>
    /// <param name="kept">
    /// What the last write left, or what the cache held (<see cref="Prepared"/>); not compared with the
    /// file yet: the comparison just before the rename covers it, and the file is read when it differs.
    /// </param>
    private async Task<(int[] Added, Kept? Next, long Writing)> ApplyBatchAsync(string path, List<Request> batch, Kept? kept)
    {
        kept ??= Prepared(path);
        for (var races = 0; ;)
        {
            // The user's edits since our last write must survive: a start from known bytes holds
            // only when the file still has them, and anything else is read from the file. The same
            // bytes as we wrote (or analyze read) need no parse: their document is known.
            var read = kept is null;
            kept ??= await ReadAsync(path);
            var (original, explained) = (kept.Bytes, kept.Explained);
            var document = kept.Document.IsFrozen ? kept.Document.Fork() : kept.Document;
            var placer = kept.Placer ?? PlacerFor(kept.Read ?? document, batch, document);
            kept = null;
            var added = new int[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                foreach (var placement in batch[i].Placements)
                {
                    added[i] += Add(document, explained, placer, placement) ? 1 : 0;
                }
            }

            if (!document.HasChanges)
            {
                if (read || FileContent.Is(path, original))
                {
                    // Nothing to write: what was read still holds for the next batch.
                    return (added, new Kept(original, document, explained, placer), -1);
                }

                continue;
            }

            var writing = _time.GetTimestamp();
            var updated = document.ToUtf8();
            if (WhileWriting is { } slow)
            {
                await slow();
            }

            // The file is compared with what we read of it beside the temporary file's flush, just
            // before the rename: the window for an outside writer (Obsidian) is the flush and the rename.
            // Known bytes the file no longer holds are not a race lost: the file is read, and the batch
            // applied to it. After MaxAttempts races lost in a row, the last attempt writes regardless.
            if (read && races + 1 >= MaxAttempts)
            {
                await AtomicFile.WriteAllBytesAsync(path, updated);
            }
            else if (!await AtomicFile.ReplaceIfUnchangedAsync(path, updated, () => FileContent.Is(path, original)))
            {
                races += read ? 1 : 0;
                continue;
            }

            Interlocked.Increment(ref _rewrites);
            writing = _time.GetTimestamp() - writing;
            return (added, document.Successor() is { } written ? new Kept(updated, written, explained, placer) : null, writing);
        }
    }

    /// <summary>What the cache holds of the file, ready to edit (not compared with the file), or null.</summary>
    private Kept? Prepared(string path) => cache?.Latest(path) is { } latest ? Start(latest.Bytes, latest.Document) : null;

    /// <summary>The file as it is now: the cache's parse when the file holds its bytes, else read and parsed.</summary>
    private async Task<Kept> ReadAsync(string path)
    {
        if (cache?.Current(path) is { } current)
        {
            return Start(current.Bytes, current.Document);
        }

        var bytes = await File.ReadAllBytesAsync(path);
        return Start(bytes, CanvasDocument.Parse(bytes));
    }
}
