using System.Diagnostics.Metrics;

namespace CanvasLearning.Realtime;

/// <summary>
/// What an operator watches: open connections, events sent, progress updates collapsed, slow
/// clients closed, queued frames. Published on the <c>CanvasLearning.Realtime</c> meter
/// (OpenTelemetry or dotnet-counters read it) and readable here.
/// </summary>
public sealed class RealtimeMetrics : IDisposable
{
    public const string MeterName = "CanvasLearning.Realtime";

    private readonly Meter _meter = new(MeterName);
    private long _open;
    private long _sent;
    private long _collapsed;
    private long _slowClosed;
    private long _queued;

    public RealtimeMetrics()
    {
        _meter.CreateObservableUpDownCounter("canvas_learning.ws.connections", () => OpenConnections, description: "Open WebSocket connections");
        _meter.CreateObservableCounter("canvas_learning.ws.events_sent", () => EventsSent, description: "Session events sent to clients");
        _meter.CreateObservableCounter("canvas_learning.ws.progress_collapsed", () => ProgressCollapsed, description: "progress_update events replaced by a newer one before sending");
        _meter.CreateObservableCounter("canvas_learning.ws.slow_clients_closed", () => SlowClientsClosed, description: "Connections closed with 4008 because their send queue overflowed");
        _meter.CreateObservableUpDownCounter("canvas_learning.ws.send_queue_depth", () => QueuedFrames, description: "Frames waiting in all send queues");
    }

    public long OpenConnections => Interlocked.Read(ref _open);

    public long EventsSent => Interlocked.Read(ref _sent);

    public long ProgressCollapsed => Interlocked.Read(ref _collapsed);

    public long SlowClientsClosed => Interlocked.Read(ref _slowClosed);

    public long QueuedFrames => Interlocked.Read(ref _queued);

    internal void Opened() => Interlocked.Increment(ref _open);

    internal void Closed() => Interlocked.Decrement(ref _open);

    internal void Sent() => Interlocked.Increment(ref _sent);

    internal void Collapsed() => Interlocked.Increment(ref _collapsed);

    internal void SlowClosed() => Interlocked.Increment(ref _slowClosed);

    internal void QueueChanged(long delta) => Interlocked.Add(ref _queued, delta);

    public void Dispose() => _meter.Dispose();
}
