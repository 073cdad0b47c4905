namespace CanvasLearning.Canvas;

/// <summary>
/// The canvases read lately, parsed once. Analyze, confirm and a session's start read the same
/// file one after the other; each read still reads the file, and reuses the earlier parse only
/// when the bytes are the same (a comparison costs far less than a parse), so an edit in between is
/// always seen. The documents are frozen (read-only, safe to share); the canvas writer parses its own.
/// </summary>
public sealed class CanvasCache
{
    /// <summary>Canvases kept; the least recently read goes first.</summary>
    private const int Capacity = 4;

    private readonly Lock _gate = new();
    private readonly LinkedList<(string Path, byte[] Bytes, CanvasDocument Document)> _entries = new();

    /// <summary>Reads and parses a canvas file (or reuses the parse of the same bytes); format errors throw <see cref="CanvasFormatException"/>.</summary>
    public async Task<CanvasDocument> LoadAsync(string fullPath, CancellationToken cancellationToken = default)
    {
        var bytes = await File.ReadAllBytesAsync(fullPath, cancellationToken);
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

        var document = CanvasDocument.Parse(bytes).Freeze();
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

        return document;
    }
}
