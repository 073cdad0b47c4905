using System.Collections.Concurrent;

namespace CanvasLearning.Realtime;

/// <summary>
/// The server's fan-out thread: it takes each session that has new events and hands every one of
/// its waiting connections what is new, one write each (<see cref="SessionConnection.Pump"/>). It is
/// a thread of its own, not a thread-pool item, so publishers and the web server's I/O never wait
/// behind a pass over thousands of connections, and the events that arrive during a pass all go in
/// the next one: the busier the server, the more frames per write.
/// </summary>
internal sealed class FanOut : IDisposable
{
    private readonly ConcurrentQueue<SessionTail> _due = new();
    private readonly ManualResetEventSlim _signal = new(false, spinCount: 0);
    private readonly Thread _thread;
    private volatile bool _stopped;

    private readonly ILogger _logger;

    public FanOut(ILogger<FanOut> logger)
    {
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "ws fan-out" };
        _thread.Start();
    }

    /// <summary>Queues a pass over the session's connections (the tail queues itself once per pass).</summary>
    public void Schedule(SessionTail tail)
    {
        _due.Enqueue(tail);
        _signal.Set();
    }

    public void Dispose()
    {
        _stopped = true;
        _signal.Set();
        _thread.Join(TimeSpan.FromSeconds(5));
        _signal.Dispose();
    }

    private void Run()
    {
        while (!_stopped)
        {
            while (_due.TryDequeue(out var tail))
            {
                try
                {
                    tail.PumpAll();
                }
                catch (Exception ex)
                {
                    // A defect, not a client's doing: the thread goes on for the other sessions, and
                    // the session's connections still get their events from their writers.
                    RealtimeLog.FanOutFailed(_logger, tail.SessionId, ex);
                }
            }

            _signal.Reset();
            if (_due.IsEmpty && !_stopped)
            {
                _signal.Wait();
            }
        }
    }
}
