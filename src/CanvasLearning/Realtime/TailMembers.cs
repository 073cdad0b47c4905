namespace CanvasLearning.Realtime;

/// <summary>
/// The connections attached to one tail, for the fan-out thread to go through without a lock.
/// Joining and leaving cost the same however many watch (a copy of the whole list per join would make
/// a session's joins cost the square of its watchers, all of it garbage): a connection joins at the
/// end of the array (a bigger one, copied, when it is full) and leaves by clearing its slot; once
/// half the slots are cleared, the live ones move to a new array. An existing entry never moves
/// within an array, so a pass that took a <see cref="Snapshot"/> sees every connection attached
/// before it began, and maybe some that left meanwhile. Not thread-safe for changes: the tail's lock serializes them.
/// </summary>
internal sealed class TailMembers<T>
    where T : class
{
    private const int MinimumSize = 4;

    private readonly Dictionary<T, int> _index = new(ReferenceEqualityComparer.Instance);
    private T?[] _slots = new T?[MinimumSize];
    private int _used;
    private Snapshot _current = new([], 0);

    /// <summary>What a pass goes through: the first <see cref="Snapshot.Used"/> slots, of which the cleared ones are null.</summary>
    public Snapshot Current => Volatile.Read(ref _current);

    public void Add(T member)
    {
        if (_index.ContainsKey(member))
        {
            return;
        }

        if (_used == _slots.Length)
        {
            Rebuild(Math.Max(MinimumSize, _index.Count * 2 + 1));
        }

        _slots[_used] = member;
        _index[member] = _used++;
        Volatile.Write(ref _current, new Snapshot(_slots, _used));
    }

    public void Remove(T member)
    {
        if (!_index.Remove(member, out var slot))
        {
            return;
        }

        Volatile.Write(ref _slots[slot], null);
        if (_used > MinimumSize * 2 && _index.Count < _used / 2)
        {
            Rebuild(Math.Max(MinimumSize, _index.Count * 2));
            Volatile.Write(ref _current, new Snapshot(_slots, _used));
        }
    }

    /// <summary>The live members, in the order they joined, into a new array of <paramref name="size"/> slots.</summary>
    private void Rebuild(int size)
    {
        var slots = new T?[size];
        var used = 0;
        for (var i = 0; i < _used; i++)
        {
            if (_slots[i] is { } member)
            {
                slots[used] = member;
                _index[member] = used++;
            }
        }

        (_slots, _used) = (slots, used);
    }

    /// <summary>An array that is never shrunk or reordered, and how many of its slots were in use.</summary>
    public sealed record Snapshot(T?[] Slots, int Used);
}
