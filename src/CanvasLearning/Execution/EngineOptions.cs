using System.ComponentModel.DataAnnotations;

namespace CanvasLearning.Execution;

/// <summary>Limits of the batch engine. Section <c>Engine</c>; every value validated at start-up.</summary>
public sealed class EngineOptions
{
    public const string Section = "Engine";

    /// <summary>Agent calls running at once across the whole server (the story's ADR: 12).</summary>
    [Range(1, 256)]
    public int MaxConcurrentNodes { get; set; } = 12;

    /// <summary>Longest one agent call may take before it counts as a timeout.</summary>
    [Range(1, 3600)]
    public int NodeTimeoutSeconds { get; set; } = 300;

    /// <summary>Tries per node; only transient failures (timeouts, rate limits, I/O) are tried again.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 2;

    /// <summary>Pause before a retry, multiplied by the attempt number.</summary>
    [Range(0, 60_000)]
    public int RetryDelayMilliseconds { get; set; } = 1_000;

    /// <summary>Most nodes one session may hold.</summary>
    [Range(1, 100_000)]
    public int MaxNodesPerSession { get; set; } = 1_000;

    /// <summary>How long a cancel request waits for running agent calls to stop before answering.</summary>
    [Range(1, 600)]
    public int CancelWaitSeconds { get; set; } = 30;
}
