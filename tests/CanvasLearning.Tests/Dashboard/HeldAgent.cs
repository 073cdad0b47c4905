using System.Collections.Concurrent;
using CanvasLearning.Agents;

namespace CanvasLearning.Tests.Dashboard;

/// <summary>
/// A FAKE agent provider whose calls wait until the test releases their node (or all nodes), so a
/// browser test decides what is running, done or failed at each moment. Its notes carry a script
/// and a remote image, which the dashboard must never run or load.
/// </summary>
internal sealed class HeldAgent : IAgentProvider
{
    public const string ProviderName = "held-fake";

    public const string Marker = "Explained by the held fake";

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new(StringComparer.Ordinal);
    private volatile bool _open;

    public string Name => ProviderName;

    public TimeSpan TypicalCallDuration => TimeSpan.FromSeconds(1);

    /// <summary>Nodes whose next call fails (for good: not retried by the engine).</summary>
    public ConcurrentDictionary<string, bool> FailOnce { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

    /// <summary>Released once for every call that starts.</summary>
    public SemaphoreSlim Started { get; } = new(0);

    public async Task<AgentResult> ExplainAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        Calls.AddOrUpdate(request.NodeId, 1, (_, n) => n + 1);
        Started.Release();
        if (!_open)
        {
            await Gate(request.NodeId).Task.WaitAsync(cancellationToken);
        }

        if (FailOnce.TryRemove(request.NodeId, out _))
        {
            throw new AgentException("bad_request", $"scripted failure for {request.NodeId}", transient: false);
        }

        var markdown = $"# {request.Text}\n\n{Marker} ({request.AgentType}).\n\n" +
            "| a | b |\n|---|--:|\n| 1 | 2 |\n\n" +
            "<script>window.__ran = true</script>\n\n<img src=x onerror=\"window.__ran = true\">\n\n" +
            "![remote picture](https://example.invalid/picture.png)\n";
        return new AgentResult(markdown, ProviderName, 1, 2);
    }

    public void Release(params string[] nodeIds)
    {
        foreach (var id in nodeIds)
        {
            Gate(id).TrySetResult();
        }
    }

    /// <summary>Every call, waiting or to come, goes through at once from now on.</summary>
    public void ReleaseAll()
    {
        _open = true;
        foreach (var gate in _gates.Values)
        {
            gate.TrySetResult();
        }
    }

    public async Task WaitForStartsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await Started.WaitAsync(TimeSpan.FromSeconds(30)), $"only {i} of {count} agent calls started");
        }
    }

    private TaskCompletionSource Gate(string nodeId) =>
        _gates.GetOrAdd(nodeId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
