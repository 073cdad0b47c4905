namespace CanvasLearning.Canvas;

/// <summary>
/// The canvases read or written lately, parsed once. Analyze, confirm, a session's start and the
/// canvas writer read the same file one after the other; each read still reads the file, and reuses
/// an earlier parse only when the bytes are the same (a comparison costs far less than a parse), so
/// an edit in between is always seen. The writer leaves here the document of what it wrote. The
/// documents are frozen (read-only, safe to share); the writer edits a fork.
/// </summary>
public sealed class CanvasCache
{
    /// <summary>Canvases kept; the least recently used goes first.</summary>
    private const int Capacity = 4;

    /// <summary>
    /// File bytes kept in all (a parse takes about seven times its file in memory): past this, older
    /// entries go even under <see cref="Capacity"/>, so one 5 MB canvas is kept, not four. The newest always stays.
    /// </summary>
    private const long MaxBytes = 8 * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly LinkedList<(string Path, byte[] Bytes, CanvasDocument Document)> _entries = new();

    /// <summary>Reads and parses a canvas file (or reuses the parse of the same bytes); format errors throw <see cref="CanvasFormatException"/>.</summary>
    public async Task<CanvasDocument> LoadAsync(string fullPath, CancellationToken cancellationToken = default)
    {
        if (Current(fullPath) is { } current)
        {
            return current.Document;
        }

        var bytes = await File.ReadAllBytesAsync(fullPath, cancellationToken);
        return Parse(fullPath, bytes);
    }

    /// <summary>
    /// The entry of the file when the file still holds exactly its bytes (compared piece by piece,
    /// without reading a copy of the file), else null.
    /// </summary>
    internal (byte[] Bytes, CanvasDocument Document)? Current(string fullPath)
    {
        (byte[] Bytes, CanvasDocument Document)? latest = null;
        lock (_gate)
        {
            // At most one entry per file: Remember replaces the others.
            for (var entry = _entries.First; entry is not null; entry = entry.Next)
            {
                if (entry.Value.Path == fullPath)
                {
                    latest = (entry.Value.Bytes, entry.Value.Document);
                    break;
                }
            }
        }

        if (latest is not { } known || !FileContent.Is(fullPath, known.Bytes))
        {
            return null;
        }

        // Find again: it marks the entry as just used.
        return Find(fullPath, known.Bytes) is { } document ? (known.Bytes, document) : null;
    }

    /// <summary>
    /// The entry last kept for the file, without looking at the file: for a writer that compares the
    /// file with these bytes anyway, just before it replaces the file, and reads it afresh when they differ.
    /// </summary>
    internal (byte[] Bytes, CanvasDocument Document)? Latest(string fullPath)
    {
        lock (_gate)
        {
            for (var entry = _entries.First; entry is not null; entry = entry.Next)
            {
                if (entry.Value.Path == fullPath)
                {
                    _entries.Remove(entry);
                    _entries.AddFirst(entry);
                    return (entry.Value.Bytes, entry.Value.Document);
                }
            }
        }

        return null;
    }

    /// <summary>The frozen document of these bytes of the file: the one kept when they are the same, else a new parse (kept from now on).</summary>
    internal CanvasDocument Parse(string fullPath, byte[] bytes)
    {
        if (Find(fullPath, bytes) is { } known)
        {
            return known;
        }

        var document = CanvasDocument.Parse(bytes).Freeze();
        Remember(fullPath, bytes, document);
        return document;
    }

    /// <summary>The document kept for exactly these bytes of the file, or null.</summary>
    internal CanvasDocument? Find(string fullPath, byte[] bytes)
    {
        lock (_gate)
        {
            for (var entry = _entries.First; entry is not null; entry = entry.Next)
            {
                if (entry.Value.Path == fullPath && (ReferenceEquals(entry.Value.Bytes, bytes) || entry.Value.Bytes.AsSpan().SequenceEqual(bytes)))
                {
                    _entries.Remove(entry);
                    _entries.AddFirst(entry);
                    return entry.Value.Document;
                }
            }
        }

        return null;
    }

    /// <summary>Lets go of what is kept for the file (which no longer holds those bytes: it was just replaced).</summary>
    internal void Forget(string fullPath)
    {
        lock (_gate)
        {
            RemoveEntriesOf(fullPath);
        }
    }

    /// <summary>Keeps <paramref name="document"/> (frozen here) as the parse of these bytes of the file, in place of any other for it.</summary>
    internal void Remember(string fullPath, byte[] bytes, CanvasDocument document)
    {
        document.Freeze();
        lock (_gate)
        {
            RemoveEntriesOf(fullPath);
            _entries.AddFirst((fullPath, bytes, document));
            var total = _entries.Sum(e => (long)e.Bytes.Length);
            while (_entries.Count > Capacity || (_entries.Count > 1 && total > MaxBytes))
            {
                total -= _entries.Last!.Value.Bytes.Length;
                _entries.RemoveLast();
            }
        }
    }

    private void RemoveEntriesOf(string fullPath)
    {
        for (var entry = _entries.First; entry is not null;)
        {
            var next = entry.Next;
            if (entry.Value.Path == fullPath)
            {
                _entries.Remove(entry);
            }

            entry = next;
        }
    }
}
