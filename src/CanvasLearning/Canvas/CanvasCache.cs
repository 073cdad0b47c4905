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

    private readonly Lock _gate = new();
    private readonly LinkedList<(string Path, byte[] Bytes, CanvasDocument Document)> _entries = new();

    /// <summary>Reads and parses a canvas file (or reuses the parse of the same bytes); format errors throw <see cref="CanvasFormatException"/>.</summary>
    public async Task<CanvasDocument> LoadAsync(string fullPath, CancellationToken cancellationToken = default)
    {
        var bytes = await File.ReadAllBytesAsync(fullPath, cancellationToken);
        return Parse(fullPath, bytes);
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
                if (entry.Value.Path == fullPath && entry.Value.Bytes.AsSpan().SequenceEqual(bytes))
                {
                    _entries.Remove(entry);
                    _entries.AddFirst(entry);
                    return entry.Value.Document;
                }
            }
        }

        return null;
    }

    /// <summary>Keeps <paramref name="document"/> (frozen here) as the parse of these bytes of the file, in place of any other for it.</summary>
    internal void Remember(string fullPath, byte[] bytes, CanvasDocument document)
    {
        document.Freeze();
        lock (_gate)
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

            _entries.AddFirst((fullPath, bytes, document));
            while (_entries.Count > Capacity)
            {
                _entries.RemoveLast();
            }
        }
    }
}
