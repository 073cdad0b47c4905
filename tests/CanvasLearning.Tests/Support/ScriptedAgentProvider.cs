using System.Collections.Concurrent;
using CanvasLearning.Agents;

namespace CanvasLearning.Tests.Support;

/// <summary>
/// A FAKE agent provider for tests: answers at once (or after a scripted wait), fails the nodes it is
/// told to, holds calls until the test lets them go, and records how many calls ran at once and
/// which nodes were called how often.
/// </summary>
public sealed class ScriptedAgentProvider(TimeProvider? timeProvider = null) : IAgentProvider
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _firstStarts = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _gathered = NewSignal();
    private int _running;
    private int _maxRunning;
    private int _starts;
    private volatile int _gatherCount;

    public string Name { get; init; } = "scripted-fake";

    /// <summary>How long each call takes (on the injected clock). Zero: answer at once.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Nodes whose call never returns until cancelled.</summary>
    public ConcurrentDictionary<string, bool> Hang { get; } = new();

    /// <summary>Nodes that fail, with how many more times they fail (then succeed).</summary>
    public ConcurrentDictionary<string, int> FailTimes { get; } = new();

    public bool FailTransient { get; set; }

    public ConcurrentDictionary<string, int> Calls { get; } = new();

    public ConcurrentBag<string> Cancelled { get; } = [];

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public int Running => Volatile.Read(ref _running);

    /// <summary>Released once for every call that starts.</summary>
    public SemaphoreSlim Started { get; } = new(0);

    /// <summary>
    /// Makes the calls of <paramref name="nodeId"/> wait (until cancelled) for the returned gate to be
    /// opened with <c>TrySetResult</c>. Set it before the call starts; the same gate is returned each time.
    /// </summary>
    public TaskCompletionSource Gate(string nodeId) => _gates.GetOrAdd(nodeId, static _ => NewSignal());

    /// <summary>Completes when the first call for <paramref name="nodeId"/> has started (and been counted in <see cref="Running"/>).</summary>
    public Task WhenStarted(string nodeId) => _firstStarts.GetOrAdd(nodeId, static _ => NewSignal()).Task;

    /// <summary>
    /// The first <paramref name="count"/> calls each wait (until cancelled) until that many are running
    /// at once; later calls do not wait. So a test sees the parallelism it expects, however slowly the
    /// machine starts them; an engine that never allows <paramref name="count"/> at once never ends.
    /// Set it before the first call.
    /// </summary>
    public void HoldFirstCallsUntilRunning(int count) => _gatherCount = count;

    public async Task<AgentResult> ExplainAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        Calls.AddOrUpdate(request.NodeId, 1, (_, n) => n + 1);
        var start = Interlocked.Increment(ref _starts);
        var now = Interlocked.Increment(ref _running);
        InterlockedMax(ref _maxRunning, now);
        if (now >= _gatherCount)
        {
            _gathered.TrySetResult();
        }

        Started.Release();
        _firstStarts.GetOrAdd(request.NodeId, static _ => NewSignal()).TrySetResult();
        try
        {
            if (start <= _gatherCount)
            {
                await _gathered.Task.WaitAsync(cancellationToken);
            }

            if (_gates.TryGetValue(request.NodeId, out var gate))
            {
                await gate.Task.WaitAsync(cancellationToken);
            }

            if (Hang.ContainsKey(request.NodeId))
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, _time, cancellationToken);
            }

            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, _time, cancellationToken);
            }

            if (FailTimes.TryGetValue(request.NodeId, out var left) && left > 0)
            {
                FailTimes[request.NodeId] = left - 1;
                throw new AgentException("scripted", $"scripted failure for {request.NodeId}", FailTransient);
            }

            return new AgentResult($"# {request.Text}\n\nexplained by the scripted fake ({request.AgentType})\n", "scripted-fake", 10, 20);
        }
        catch (OperationCanceledException)
        {
            Cancelled.Add(request.NodeId);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
