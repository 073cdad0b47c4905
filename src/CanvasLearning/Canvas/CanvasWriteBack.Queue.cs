namespace CanvasLearning.Canvas;

/// <summary>The requests of <see cref="CanvasWriteBack"/>, queued per canvas.</summary>
public sealed partial class CanvasWriteBack
{
    // Internal rather than private: ExpectedPlacement (public) is made from a queue, which holds requests.
    internal sealed class Request(IReadOnlyList<ExplanationPlacement> placements)
    {
        public IReadOnlyList<ExplanationPlacement> Placements { get; } = placements;

        // Continuations run off the writer, so one slow caller cannot hold up the next batch.
        public TaskCompletionSource<int> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// A placement announced to a canvas's writer (<see cref="Expect"/>): on its way, or given up once
    /// disposed (more than once does nothing). Settled when queued with <see cref="AddExplanationsAsync(string, IReadOnlyList{ExplanationPlacement}, ExpectedPlacement?, CancellationToken)"/>.
    /// </summary>
    public sealed class ExpectedPlacement : IDisposable
    {
        private readonly CanvasQueue _queue;
        private int _settled;

        internal ExpectedPlacement(CanvasQueue queue)
        {
            _queue = queue;
            queue.Announce();
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _settled, 1) == 0)
            {
                _queue.Arrive();
            }
        }
    }

    /// <summary>The requests waiting for one canvas, whether a writer is serving them, and how many placements were announced and have come.</summary>
    internal sealed class CanvasQueue(string path)
    {
        private readonly Lock _sync = new();
        private List<Request> _pending = [];
        private bool _draining;
        private long _announced;
        private long _arrived;
        private TaskCompletionSource? _pause;

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

        public (long Announced, long Arrived) Expectations
        {
            get
            {
                lock (_sync)
                {
                    return (_announced, _arrived);
                }
            }
        }

        public void Announce()
        {
            lock (_sync)
            {
                _announced++;
            }
        }

        /// <summary>An announced placement was queued or given up; the last one ends a pause under way.</summary>
        public void Arrive()
        {
            TaskCompletionSource? pause;
            lock (_sync)
            {
                _arrived++;
                if (!NothingMoreExpected)
                {
                    return;
                }

                (pause, _pause) = (_pause, null);
            }

            pause?.TrySetResult();
        }

        /// <summary>
        /// Waits <paramref name="pause"/> on <paramref name="time"/>, or less: not at all, or no longer,
        /// once every placement announced has come (nothing more is on its way, so waiting gathers nothing).
        /// One pause at a time: the writer's.
        /// </summary>
        public async Task PauseAsync(TimeSpan pause, TimeProvider time)
        {
            TaskCompletionSource signal;
            lock (_sync)
            {
                if (NothingMoreExpected)
                {
                    return;
                }

                _pause = signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            using (time.CreateTimer(static state => ((TaskCompletionSource)state!).TrySetResult(), signal, pause, Timeout.InfiniteTimeSpan))
            {
                await signal.Task;
            }

            lock (_sync)
            {
                if (_pause == signal)
                {
                    _pause = null;
                }
            }
        }

        /// <summary>Announced placements that have not come yet: results still on their way to this canvas.</summary>
        public bool Outstanding
        {
            get
            {
                lock (_sync)
                {
                    return _arrived < _announced;
                }
            }
        }

        // Under _sync. Counted over the process's life: every placement announced for this canvas has
        // come, so nothing known is on its way. A canvas nobody ever announced for keeps its pause.
        private bool NothingMoreExpected => _announced > 0 && _arrived >= _announced;

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
