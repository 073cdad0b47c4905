using System.Collections.Concurrent;
using CanvasLearning.Canvas;
using CanvasLearning.Sessions;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Execution;

/// <summary>
/// Runs sessions: one agent call per node, bounded by a server-wide limit and each session's own
/// <c>max_concurrent</c>, with a session timeout, cancellation and resume after a restart.
/// </summary>
public sealed partial class BatchEngine(
    ISessionStore store,
    NodeExecutor executor,
    Vault vault,
    CanvasCache canvases,
    IOptions<EngineOptions> options,
    TimeProvider timeProvider,
    ILogger<BatchEngine> logger) : IAsyncDisposable
{
    private readonly EngineOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, SessionRun> _runs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _global = new(options.Value.MaxConcurrentNodes, options.Value.MaxConcurrentNodes);
    private int _waiting;

    // Nodes of a session under way per agent slot: the rest of them write files, wait for the canvas
    // or for their commit while the slots serve the next agent calls. Many, because a node completes
    // only with the canvas write that holds it, and a write takes every node waiting: with 4 per
    // slot, writes of a big canvas held 48 nodes each and bounded the session (half the pace); with
    // 64, a 10,000-node session on its 4 MB canvas ran at 2,870–2,890 nodes/s against 3,250–3,410 with 128.
    private const int NodesInFlightPerSlot = 128;

    /// <summary>Agent calls running right now across all sessions.</summary>
    public int RunningNodes => _options.MaxConcurrentNodes - _global.CurrentCount;

    /// <summary>Agent calls (of sessions and single-node runs) waiting for one of the server-wide slots right now.</summary>
    public int WaitingNodes => Volatile.Read(ref _waiting);

    public bool IsRunning(string sessionId) => _runs.ContainsKey(sessionId);

    /// <summary>Starts (or resumes) a session in the background. False when it is already running here.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="confirmed">
    /// The canvas its confirm checked the nodes against, a moment ago: the run starts from it instead of
    /// reading the file again (the canvas writer compares the file before replacing it). Null: the
    /// run reads the canvas (a resume, a retry).
    /// </param>
    public bool Start(string sessionId, CanvasDocument? confirmed = null)
    {
        if (_stopping.IsCancellationRequested)
        {
            return false;
        }

        var run = new SessionRun(sessionId, _stopping.Token) { Confirmed = confirmed };
        if (!_runs.TryAdd(sessionId, run))
        {
            run.Dispose();
            return false;
        }

        run.Completion = Task.Run(() => RunAsync(run));
        return true;
    }

    /// <summary>Takes one of the server-wide agent slots, for work outside a session (single-node runs).</summary>
    public async Task<IDisposable> AcquireSlotAsync(CancellationToken cancellationToken = default)
    {
        await WaitForSlotAsync(cancellationToken);
        return new Slot(_global);
    }

    /// <summary>Waits until the session's run in this process ends (at once when none is running).</summary>
    public Task WaitAsync(string sessionId, CancellationToken cancellationToken = default) =>
        _runs.TryGetValue(sessionId, out var run) ? run.Completion.WaitAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Cancels a session: running agent calls are stopped, unfinished nodes become cancelled.</summary>
    public async Task CancelAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        if (_runs.TryGetValue(sessionId, out var run))
        {
            run.CancelRequested = true;
            await run.Cancellation.CancelAsync();
            await run.Completion.WaitAsync(TimeSpan.FromSeconds(_options.CancelWaitSeconds), timeProvider, cancellationToken);
            return;
        }

        // Not running in this process (pending, or waiting for resume): finish it directly.
        await store.FinishAsync(sessionId, cancelled: true, cancellationToken);
    }

    /// <summary>Shutdown: stops every run without finishing it, so the next start resumes it.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_runs.Values.Select(r => r.Completion)).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            ExecutionLog.ShutdownAbandoned(logger, _runs.Count);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
        _global.Dispose();
    }

    private async Task RunAsync(SessionRun run)
    {
        try
        {
            await RunSessionAsync(run);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            // A bug or a broken store must not leave the session "running" forever unseen.
            ExecutionLog.SessionCrashed(logger, ex, run.SessionId);
        }
        finally
        {
            _runs.TryRemove(run.SessionId, out _);
            run.Dispose();
        }
    }

    private async Task RunSessionAsync(SessionRun run)
    {
        var id = run.SessionId;
        await store.StartAsync(id);
        var snapshot = await store.GetAsync(id) ?? throw new InvalidOperationException($"session {id} vanished");
        var session = snapshot.Session;
        using var context = await SessionContext.LoadAsync(snapshot, vault, canvases, run.Confirmed);
        DeleteStaleTempFiles(context, snapshot.Nodes);
        var todo = snapshot.Nodes.Where(n => n.Status == NodeStatus.Pending).ToList();
        context.PlanSpots(todo, run.Cancellation.Token);
        context.Announce(todo, executor.Expect);
        ExecutionLog.SessionStarted(logger, id, todo.Count, snapshot.TotalNodes);

        // Waiting for a server-wide slot is bounded by cancel and shutdown only: the session's
        // timeout starts when its first node gets a slot.
        using var timeout = new SessionTimeout(TimeSpan.FromSeconds(session.TimeoutSeconds), timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(run.Cancellation.Token, timeout.Token);
        var parallelism = Math.Min(session.MaxConcurrent, _options.MaxConcurrentNodes);
        // A node holds an agent slot (the session's and the server's) for its agent call only. Its
        // file, its canvas node and its record come after, beside the next nodes' calls: the canvas
        // takes the nodes waiting in one write and the store commits them together, so their cost
        // does not bound the session's pace. Up to NodesInFlightPerSlot nodes per slot are under way.
        using var sessionSlots = new SemaphoreSlim(parallelism, parallelism);
        await Parallel.ForEachAsync(todo, new ParallelOptions { MaxDegreeOfParallelism = parallelism * NodesInFlightPerSlot }, async (node, _) =>
        {
            try
            {
                var outcome = await executor.RunAsync(context, node, token => EnterAsync(sessionSlots, timeout, token), linked.Token);
                if (outcome is not null)
                {
                    await FinishNodeAsync(context, node, outcome, linked.Token);
                }
            }
            finally
            {
                // Queued with its placement, or ends without one: the canvas writer waits for it no longer.
                context.ExpectedFor(node.NodeId)?.Dispose();
            }
        });

        if (_stopping.IsCancellationRequested && !run.CancelRequested)
        {
            ExecutionLog.SessionSuspended(logger, id);
            return;
        }

        if (!run.CancelRequested && timeout.Expired)
        {
            await FailUnfinishedAsync(run, session.TimeoutSeconds);
        }

        await store.FinishAsync(id, run.CancelRequested);
        ExecutionLog.SessionFinished(logger, id, run.CancelRequested ? SessionStatus.Cancelled : "finished");
    }

    /// <summary>
    /// Before the run writes anything: removes the temporary files an interrupted write (a killed
    /// process) left in the folders this session writes to, the canvas's and the explanations'.
    /// Every run start passes here, so a resume after a crash does too.
    /// </summary>
    private void DeleteStaleTempFiles(SessionContext context, IEnumerable<SessionNodeRecord> nodes)
    {
        if (context.CanvasFullPath is not { } canvas)
        {
            return;
        }

        var folders = nodes
            .Select(n => Path.GetDirectoryName(Path.GetFullPath(Path.Combine(vault.Root, n.FilePath))))
            .Prepend(Path.GetDirectoryName(canvas))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Where(vault.Contains);
        foreach (var folder in folders)
        {
            if (AtomicFile.DeleteStaleTempFiles(folder) is > 0 and var count)
            {
                ExecutionLog.StaleTempFilesDeleted(logger, context.Session.SessionId, count, folder);
            }
        }
    }

    /// <summary>The node's explanation onto the canvas, then its result into the log.</summary>
    private async Task FinishNodeAsync(SessionContext context, SessionNodeRecord node, NodeOutcome outcome, CancellationToken cancellationToken)
    {
        var id = context.Session.SessionId;
        var recorded = await executor.AddToCanvasAsync(context, node, outcome, cancellationToken);
        if (recorded?.Success is { } success)
        {
            await store.CompleteNodeAsync(id, node.NodeId, success, CancellationToken.None);
        }
        else if (recorded?.Failure is { } failure)
        {
            await store.FailNodeAsync(id, node.NodeId, failure, CancellationToken.None);
        }
    }

    private async Task FailUnfinishedAsync(SessionRun run, int timeoutSeconds)
    {
        var snapshot = await store.GetAsync(run.SessionId);
        foreach (var node in snapshot!.Nodes.Where(n => !NodeStatus.IsFinished(n.Status)))
        {
            var failure = new NodeFailure("timeout", $"the session timed out {timeoutSeconds} s after its first node started, before this node finished; retry the session or raise 'timeout'", 0);
            await store.FailNodeAsync(run.SessionId, node.NodeId, failure);
        }
    }

    /// <summary>A slot of the session, then one of the server; the session's timeout starts with its first.</summary>
    private async Task<IDisposable> EnterAsync(SemaphoreSlim sessionSlots, SessionTimeout timeout, CancellationToken cancellationToken)
    {
        await sessionSlots.WaitAsync(cancellationToken);
        try
        {
            await WaitForSlotAsync(cancellationToken);
        }
        catch
        {
            sessionSlots.Release();
            throw;
        }

        var slot = new Slot(_global, sessionSlots);
        if (cancellationToken.IsCancellationRequested)
        {
            // Slots given back by a node the same cancellation stopped can reach a waiter before
            // its own cancellation does: a node of a session that has ended never calls its agent.
            slot.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
        }

        timeout.Start();
        return slot;
    }

    private async Task WaitForSlotAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await _global.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>Gives back the server's slot (and the session's, when it holds one) once, however often disposed.</summary>
    private sealed class Slot(SemaphoreSlim semaphore, SemaphoreSlim? session = null) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
                session?.Release();
            }
        }
    }
}
