using CanvasLearning.Agents;
using CanvasLearning.Canvas;
using CanvasLearning.Sessions;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Execution;

/// <summary>
/// Either what a node produced or why it failed; null from the executor means "abandoned, record
/// nothing". A success carries the canvas placement still to add (<c>NodeExecutor.AddToCanvasAsync</c>).
/// </summary>
public sealed record NodeOutcome(NodeSuccess? Success, NodeFailure? Failure, ExplanationPlacement? Placement = null);

/// <summary>
/// One node: the agent call (with per-node timeout and retries of transient failures) and the
/// Markdown file written atomically (<see cref="RunAsync"/>: the agent call inside an agent slot, the
/// file after it, at most as many at once as there are slots); then the file node plus edge added
/// to the canvas (<c>AddToCanvasAsync</c>), where the
/// writes of many nodes are coalesced.
/// </summary>
public sealed partial class NodeExecutor(
    ISessionStore store,
    AgentProviders providers,
    ExplanationWriter writer,
    IOptions<EngineOptions> options,
    TimeProvider timeProvider,
    ILogger<NodeExecutor> logger) : IDisposable
{
    private readonly EngineOptions _options = options.Value;

    // The file writes block a pool thread each while they write and rename (and, where the flush
    // cannot be shared, fsync the file and folder): no more of them at once than agent slots.
    private readonly SemaphoreSlim _fileWrites = new(options.Value.MaxConcurrentNodes, options.Value.MaxConcurrentNodes);

    /// <summary>
    /// Runs the node. Returns null when <paramref name="sessionToken"/> was cancelled (user cancel,
    /// session timeout, shutdown): the caller decides what that means for the node.
    /// </summary>
    /// <param name="slot">Takes the agent slot a try's agent call runs in (released once the agent has answered).</param>
    public async Task<NodeOutcome?> RunAsync(SessionContext context, SessionNodeRecord node, Func<CancellationToken, Task<IDisposable>> slot, CancellationToken sessionToken)
    {
        if (context.CanvasError is { } canvasError)
        {
            return new NodeOutcome(null, new NodeFailure("canvas_not_found", canvasError, 0));
        }

        if (providers.Find(context.Session.AgentProvider) is not { } provider)
        {
            return new NodeOutcome(null, new NodeFailure("provider_unavailable",
                $"agent provider '{context.Session.AgentProvider}' is not configured here; use one of: {string.Join(", ", providers.Names)}", 0));
        }

        var sessionId = context.Session.SessionId;
        return await ExplainAsync(provider, context.RequestFor(node), node.FilePath, sessionId, sessionId,
            () => store.MarkNodeRunningAsync(sessionId, node.NodeId, CancellationToken.None), slot, sessionToken);
    }

    /// <summary>
    /// The agent call, with the per-node timeout and retries of transient failures, then the
    /// Markdown file: what a session's node and a single run share. <paramref name="scope"/> names
    /// the work in the log (a session id, or "single"); <paramref name="beforeAttempt"/> starts with each
    /// try, once it has its slot (marking the node running), and is awaited before the try's outcome
    /// is returned, not before the agent is called: a crash in between re-runs the node either way,
    /// and the agent need not wait for a commit. Each try holds a <paramref name="slot"/> for its agent
    /// call only: the file is written after the slot is given back, so the next call need not wait
    /// for this one's disk. The slot may be disposed more than once (it gives itself back once).
    /// Returns null when <paramref name="cancellationToken"/> was cancelled.
    /// </summary>
    public async Task<NodeOutcome?> ExplainAsync(
        IAgentProvider provider, AgentRequest request, string fileVaultPath, string idSeed, string scope, Func<Task>? beforeAttempt,
        Func<CancellationToken, Task<IDisposable>> slot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slot);
        for (var attempt = 1; ; attempt++)
        {
            IDisposable held;
            try
            {
                held = await slot(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }

            var marked = Task.CompletedTask;
            try
            {
                marked = beforeAttempt?.Invoke() ?? Task.CompletedTask;
                var outcome = await AttemptAsync(provider, request, fileVaultPath, idSeed, scope, attempt, held, cancellationToken);
                if (outcome is { Retry: false })
                {
                    return outcome.Outcome;
                }
            }
            finally
            {
                held.Dispose();
                await marked;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(_options.RetryDelayMilliseconds * attempt), timeProvider, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    /// <summary>One try: the outcome to return, or a transient failure to retry. Gives <paramref name="slot"/> back once the agent has answered.</summary>
    private async Task<(NodeOutcome? Outcome, bool Retry)> AttemptAsync(
        IAgentProvider provider, AgentRequest request, string fileVaultPath, string idSeed, string scope, int attempt, IDisposable slot, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        NodeFailure failure;
        bool transient;
        try
        {
            using var nodeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.NodeTimeoutSeconds), timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, nodeTimeout.Token);
            var result = await provider.ExplainAsync(request, linked.Token);
            slot.Dispose();
            var (size, placement) = await WriteFileAsync(fileVaultPath, request, idSeed, result.Markdown, linked.Token);
            var duration = (long)timeProvider.GetElapsedTime(started).TotalMilliseconds;
            return (new NodeOutcome(new NodeSuccess(size, duration, result.Model, result.TokensIn, result.TokensOut), null, placement), false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (null, false);
        }
        catch (OperationCanceledException)
        {
            (failure, transient) = (Failure("timeout", $"the agent did not answer within {_options.NodeTimeoutSeconds} s", started), true);
        }
        catch (AgentException ex)
        {
            (failure, transient) = (Failure(ex.ErrorType, ex.Message, started), ex.Transient);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            (failure, transient) = (Failure("io_error", $"writing the result failed: {ex.Message}", started), true);
        }
        catch (Exception ex) when (ex is CanvasFormatException)
        {
            (failure, transient) = (Failure("canvas_invalid", $"the canvas became unreadable: {ex.Message}; fix it, then retry", started), false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A provider or writer bug must fail this node only, never the session around it.
            ExecutionLog.NodeCrashed(logger, ex, scope, request.NodeId);
            (failure, transient) = (Failure("internal_error", $"an unexpected error stopped this node ({ex.GetType().Name}: {ex.Message}); it is in the server log; retry the node", started), false);
        }

        if (!transient || attempt >= _options.MaxAttempts)
        {
            ExecutionLog.NodeFailed(logger, scope, request.NodeId, failure.ErrorType, failure.ErrorMessage);
            return (new NodeOutcome(null, failure), false);
        }

        ExecutionLog.NodeRetrying(logger, scope, request.NodeId, attempt, failure.ErrorType);
        return (null, true);
    }

    /// <summary>
    /// Adds a successful node's explanation to the canvas. Returns the outcome to record: the success,
    /// a failure when the canvas cannot take it, or null when <paramref name="sessionToken"/> was cancelled.
    /// </summary>
    public async Task<NodeOutcome?> AddToCanvasAsync(SessionContext context, SessionNodeRecord node, NodeOutcome outcome, CancellationToken sessionToken)
    {
        try
        {
            if (outcome.Placement is { } placement)
            {
                outcome = outcome with { Placement = await context.PlannedAsync(placement, sessionToken) };
            }
        }
        catch (OperationCanceledException) when (sessionToken.IsCancellationRequested)
        {
            return null;
        }

        return await AddToCanvasAsync(context.CanvasFullPath!, context.Session.SessionId, node.NodeId, outcome, context.ExpectedFor(node.NodeId), sessionToken);
    }

    /// <inheritdoc cref="AddToCanvasAsync(SessionContext, SessionNodeRecord, NodeOutcome, CancellationToken)"/>
    public Task<NodeOutcome?> AddToCanvasAsync(string canvasFullPath, string scope, string nodeId, NodeOutcome outcome, CancellationToken sessionToken) =>
        AddToCanvasAsync(canvasFullPath, scope, nodeId, outcome, null, sessionToken);

    /// <summary>Announces an explanation on its way to the canvas (<see cref="CanvasWriteBack.Expect"/>).</summary>
    public CanvasWriteBack.ExpectedPlacement Expect(string canvasFullPath) => writer.Expect(canvasFullPath);

    private async Task<NodeOutcome?> AddToCanvasAsync(
        string canvasFullPath, string scope, string nodeId, NodeOutcome outcome, CanvasWriteBack.ExpectedPlacement? expected, CancellationToken sessionToken)
    {
        if (outcome.Placement is not { } placement || outcome.Success is not { } success)
        {
            return outcome;
        }

        var sessionId = scope;
        var started = timeProvider.GetTimestamp();
        NodeFailure failure;
        try
        {
            await writer.AddToCanvasAsync(canvasFullPath, placement, expected, sessionToken);
            ExecutionLog.NodeCompleted(logger, sessionId, nodeId, success.DurationMs);
            return outcome;
        }
        catch (OperationCanceledException) when (sessionToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failure = Failure("io_error", $"adding the explanation to the canvas failed: {ex.Message}; retry the node", started);
        }
        catch (CanvasFormatException ex)
        {
            failure = Failure("canvas_invalid", $"the canvas became unreadable: {ex.Message}; fix it, then retry", started);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ExecutionLog.NodeCrashed(logger, ex, sessionId, nodeId);
            failure = Failure("internal_error", $"an unexpected error stopped this node ({ex.GetType().Name}: {ex.Message}); it is in the server log; retry the node", started);
        }

        ExecutionLog.NodeFailed(logger, sessionId, nodeId, failure.ErrorType, failure.ErrorMessage);
        return new NodeOutcome(null, failure);
    }

    public void Dispose() => _fileWrites.Dispose();

    private async Task<(long Size, ExplanationPlacement Placement)> WriteFileAsync(
        string fileVaultPath, AgentRequest request, string idSeed, string markdown, CancellationToken cancellationToken)
    {
        await _fileWrites.WaitAsync(cancellationToken);
        Task<(long Size, ExplanationPlacement Placement)> written;
        try
        {
            // Returns once the file is written and renamed; what is left is the wait for the flush
            // the folder's writes share, which blocks no thread, so the gate is not held for it.
            written = writer.WriteFileAsync(fileVaultPath, request.NodeId, request.AgentType, idSeed, markdown, cancellationToken);
        }
        finally
        {
            _fileWrites.Release();
        }

        return await written;
    }

    private NodeFailure Failure(string type, string message, long started) =>
        new(type, message, (long)timeProvider.GetElapsedTime(started).TotalMilliseconds);
}
