using System.ComponentModel.DataAnnotations;

namespace CanvasLearning.Realtime;

/// <summary>WebSocket limits and timings. Section <c>Realtime</c>; every value validated at start-up.</summary>
public sealed class RealtimeOptions
{
    public const string Section = "Realtime";

    /// <summary>Seconds between the server's <c>ping</c> messages.</summary>
    [Range(1, 3600)]
    public int HeartbeatIntervalSeconds { get; set; } = 30;

    /// <summary>Seconds without a client message and without a session event before the server closes.</summary>
    [Range(10, 86_400)]
    public int IdleTimeoutSeconds { get; set; } = 600;

    /// <summary>Protocol-level ping interval; a peer that does not answer within the timeout is dropped.</summary>
    [Range(1, 3600)]
    public int KeepAliveIntervalSeconds { get; set; } = 15;

    [Range(1, 3600)]
    public int KeepAliveTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// A connection whose socket has accepted no bytes for this long (a send not taken) is closed as
    /// too slow (4008, naming the last seq it was sent). A client draining a burst is never closed.
    /// </summary>
    [Range(1, 3600)]
    public int SlowClientTimeoutSeconds { get; set; } = 30;

    /// <summary>A connection this many bytes of live events behind the session is closed as too slow (4008).</summary>
    [Range(65_536, 1L << 34)]
    public long MaxBacklogBytes { get; set; } = 64L << 20;

    /// <summary>Largest client message, in bytes; larger ones close the connection (1009).</summary>
    [Range(256, 1_048_576)]
    public int MaxMessageBytes { get; set; } = 4096;

    /// <summary>Client messages allowed per second; beyond it they are dropped with an <c>error</c>, far beyond it the connection is closed (4029).</summary>
    [Range(1, 10_000)]
    public int MaxMessagesPerSecond { get; set; } = 20;

    [Range(1, 100_000)]
    public int MaxConnectionsPerSession { get; set; } = 1_000;

    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>The <c>retry_after</c> (seconds) told to clients on shutdown and idle close.</summary>
    [Range(0, 3600)]
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>How long the server waits for the client's answer to its close before dropping the connection.</summary>
    [Range(1, 300)]
    public int CloseTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// Runs the web server's socket completions on its I/O threads (Kestrel's
    /// <c>UnsafePreferInlineScheduling</c>): the fan-out thread then hands bytes to the sockets itself,
    /// without a hop to the thread pool, and bursts to thousands of watchers arrive sooner. Off by
    /// default: a slow request (analyzing a very large canvas) then delays the sockets sharing its thread.
    /// </summary>
    public bool InlineSocketScheduling { get; set; }

    /// <summary>
    /// Takes a session's socket straight off its connection, below the web server's per-request
    /// machinery: an idle watcher then costs about 12 KB instead of about 18 (docs/benchmarks.md). Off:
    /// every socket goes through ASP.NET Core's WebSocket middleware, where middleware of your own can
    /// see it. TLS endpoints always use the middleware.
    /// </summary>
    public bool DirectSockets { get; set; } = true;

    /// <summary>Longest wait on shutdown for connections to take their close.</summary>
    [Range(1, 120)]
    public int ShutdownTimeoutSeconds { get; set; } = 5;
}
