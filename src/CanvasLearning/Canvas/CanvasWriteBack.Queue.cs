namespace CanvasLearning.Canvas;

/// <summary>The requests of <see cref="CanvasWriteBack"/>, queued per canvas.</summary>
public sealed partial class CanvasWriteBack
{
    private sealed class Request(IReadOnlyList<ExplanationPlacement> placements)
    {
        public IReadOnlyList<ExplanationPlacement> Placements { get; } = placements;

        // Continuations run off the writer, so one slow caller cannot hold up the next batch.
        public TaskCompletionSource<int> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The requests waiting for one canvas, and whether a writer is serving them.</summary>
    private sealed class CanvasQueue(string path)
    {
        private readonly Lock _sync = new();
        private List<Request> _pending = [];
        private bool _draining;

        public string Path { get; } = path;

        /// <summary>When (<see cref="TimeProvider.GetTimestamp"/>) the next write may start: set by the writer only, one at a time.</summary>
        public long NotBefore { get; set; }

        public int Count
        {
            get
            {
                lock (_sync)
                {
                    return _pending.Count;
                }
            }
        }

        /// <summary>Queues the request; true when the caller must start the writer (none was running).</summary>
        public bool Enqueue(Request request)
        {
            lock (_sync)
            {
                _pending.Add(request);
                if (_draining)
                {
                    return false;
                }

                _draining = true;
                return true;
            }
        }

        public void Withdraw(Request request)
        {
            lock (_sync)
            {
                _pending.Remove(request);
            }
        }

        /// <summary>Everything queued, or null (and the writer stops) when nothing is.</summary>
        public List<Request>? TakeBatch()
        {
            lock (_sync)
            {
                if (_pending.Count == 0)
                {
                    _draining = false;
                    return null;
                }

                var batch = _pending;
                _pending = [];
                return batch;
            }
        }
    }
}
