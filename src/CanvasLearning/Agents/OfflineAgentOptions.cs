using System.ComponentModel.DataAnnotations;

namespace CanvasLearning.Agents;

/// <summary>Settings of the built-in offline agent. Section <c>Agents:Offline</c>.</summary>
public sealed class OfflineAgentOptions
{
    public const string Section = "Agents:Offline";

    /// <summary>
    /// Simulated think time per call (default 0). The offline agent answers at once; a delay makes its
    /// runs look like a model's, to watch the parallelism or measure the engine.
    /// </summary>
    [Range(0, 600_000)]
    public int SimulatedLatencyMilliseconds { get; set; }
}
