using System.Diagnostics.Metrics;

namespace CanvasLearning.Realtime;

/// <summary>
/// What an operator watches: open connections, events sent, events read back from the log for
/// connections behind the in-memory tail, slow clients closed. Published on the <c>CanvasLearning.Realtime</c> meter
/// (OpenTelemetry or dotnet-counters read it) and readable here.
/// </summary>
public sealed class RealtimeMetrics : IDisposable
{
    public const string MeterName = "CanvasLearning.Realtime";

    private readonly Meter _meter = new(MeterName);
    private long _open;
    private long _sent;
    private long _fromLog;
    private long _slowClosed;

    public RealtimeMetrics()
    {
        _meter.CreateObservableUpDownCounter("canvas_learning.ws.connections", () => OpenConnections, description: "Open WebSocket connections");
        _meter.CreateObservableCounter("canvas_learning.ws.events_sent", () => EventsSent, description: "Session events sent to clients");
        _meter.CreateObservableCounter("canvas_learning.ws.events_read_from_log", () => EventsReadFromLog, description: "Events read back from the session log for connections behind the in-memory tail");
        _meter.CreateObservableCounter("canvas_learning.ws.slow_clients_closed", () => SlowClientsClosed, description: "Connections closed with 4008: no bytes accepted for Realtime:SlowClientTimeoutSeconds, or Realtime:MaxBacklogBytes behind");
    }

    public long OpenConnections => Interlocked.Read(ref _open);

    public long EventsSent => Interlocked.Read(ref _sent);

    public long EventsReadFromLog => Interlocked.Read(ref _fromLog);

    public long SlowClientsClosed => Interlocked.Read(ref _slowClosed);

    internal void Opened() => Interlocked.Increment(ref _open);

    internal void Closed() => Interlocked.Decrement(ref _open);

    internal void Sent(int count) => Interlocked.Add(ref _sent, count);

    internal void ReadFromLog(int count) => Interlocked.Add(ref _fromLog, count);

    internal void SlowClosed() => Interlocked.Increment(ref _slowClosed);

    public void Dispose() => _meter.Dispose();
}
