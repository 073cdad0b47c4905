using System.Security.Cryptography;
using CanvasLearning.Agents;
using CanvasLearning.Canvas;
using CanvasLearning.Canvas.Placement;
using CanvasLearning.Grouping;
using CanvasLearning.Sessions;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Execution;

/// <summary>
/// What a client can ask of the service, shared by the REST API and the command line: analyze,
/// confirm, cancel, retry, run one node. Refusals are <see cref="RefusalException"/>s.
/// </summary>
public sealed class BatchService(
    Vault vault,
    CanvasCache canvases,
    CanvasAnalyzer analyzer,
    ISessionStore store,
    BatchEngine engine,
    AgentProviders providers,
    NodeExecutor executor,
    IOptions<EngineOptions> options,
    TimeProvider timeProvider) : IDisposable
{
    private readonly EngineOptions _options = options.Value;

    // Planning a file name and recording it happen under one lock, so two sessions (or single
    // runs) never pick the same file; names of single runs still in flight are held here.
    private readonly SemaphoreSlim _planning = new(1, 1);
    private readonly HashSet<string> _singleRunFiles = new(StringComparer.OrdinalIgnoreCase);

    public async Task<AnalyzeResponse> AnalyzeAsync(AnalyzeRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(request.CanvasPath))
        {
            errors.Add("canvas_path", "is required (a .canvas file relative to the vault root)");
        }

        var color = CanvasColors.Default;
        if (!string.IsNullOrWhiteSpace(request.TargetColor) && !CanvasColors.TryNormalize(request.TargetColor, out color))
        {
            errors.Add("target_color", $"must be {CanvasColors.Accepted}; the default \"3\" is what Obsidian shows as yellow");
        }

        if (request.MaxGroups is < 1 or > 50)
        {
            errors.Add("max_groups", "must be between 1 and 50");
        }

        if (request.MinNodesPerGroup is < 1 or > 50)
        {
            errors.Add("min_nodes_per_group", "must be between 1 and 50");
        }

        errors.ThrowIfAny();
        var (path, canvas) = await LoadCanvasAsync(request.CanvasPath!, cancellationToken);

        // The session a confirm may start next plans on this document: its index of the cards is
        // built meanwhile, beside the answer and the learner's look at it.
        ReadyPlacers.Prepare(canvas);
        var analysis = analyzer.Analyze(vault.ToRelative(path), canvas, new AnalyzeOptions(color, request.MaxGroups, request.MinNodesPerGroup ?? 2));
        var existing = await ExistingExplanations.LoadAsync(canvas, path, vault, store, cancellationToken);
        return analysis with { AlreadyExplained = existing.Explained(analysis.Groups.SelectMany(g => g.Nodes).Select(n => n.NodeId)) };
    }

    /// <summary>Starts a session for the confirmed nodes that need an agent; the others are returned as skipped, with the reason.</summary>
    public async Task<ConfirmOutcome> ConfirmAsync(ConfirmRequest request, CancellationToken cancellationToken = default)
    {
        ConfirmPlan.ValidateShape(request, providers, _options.MaxNodesPerSession);
        var (path, canvas) = await LoadCanvasAsync(request.CanvasPath!, cancellationToken);
        var now = timeProvider.GetUtcNow();
        NewSession session;
        IReadOnlyList<SkippedNode> skipped;
        await _planning.WaitAsync(cancellationToken);
        try
        {
            // Under the lock: a confirm racing this one sees these nodes as being explained.
            var existing = await ExistingExplanations.LoadAsync(canvas, path, vault, store, cancellationToken);
            (var nodes, skipped) = ConfirmPlan.PlanNodes(request, canvas, path, vault, await TakenNamesAsync(path, cancellationToken), existing);
            session = new NewSession(
                NewSessionId(now),
                vault.ToRelative(path),
                request.MaxConcurrent ?? _options.MaxConcurrentNodes,
                request.Timeout ?? ConfirmPlan.DefaultTimeout,
                request.AgentProvider ?? providers.DefaultName,
                now,
                nodes);
            await store.CreateAsync(session, cancellationToken);
        }
        finally
        {
            _planning.Release();
        }

        var snapshot = await store.GetAsync(session.SessionId, cancellationToken);
        engine.Start(session.SessionId, canvas);
        return new ConfirmOutcome(snapshot!, skipped);
    }

    public async Task<SessionSnapshot> GetAsync(string sessionId, CancellationToken cancellationToken = default) =>
        (SessionIds.IsValid(sessionId) ? await store.GetAsync(sessionId, cancellationToken) : null)
        ?? throw RefusalException.SessionNotFound(sessionId);

    public async Task<SessionSnapshot> CancelAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var snapshot = await GetAsync(sessionId, cancellationToken);
        if (SessionStatus.IsTerminal(snapshot.Session.Status))
        {
            throw new RefusalException(RefusalKind.Conflict, "session_already_completed",
                $"session '{sessionId}' is already {snapshot.Session.Status}; nothing to cancel");
        }

        await engine.CancelAsync(sessionId, cancellationToken);
        return await GetAsync(sessionId, cancellationToken);
    }

    public async Task<SessionSnapshot> RetryAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var snapshot = await GetAsync(sessionId, cancellationToken);
        if (SessionStatus.IsTerminal(snapshot.Session.Status))
        {
            // The status is final; the engine may still be letting go of the run. Let it finish.
            await engine.WaitAsync(sessionId, cancellationToken);
        }
        else
        {
            throw new RefusalException(RefusalKind.Conflict, "session_not_finished",
                $"session '{sessionId}' is still {snapshot.Session.Status}; retry it once it has ended, or cancel it first");
        }

        if (await store.ResetFailedAsync(sessionId, cancellationToken) == 0)
        {
            throw new RefusalException(RefusalKind.Conflict, "nothing_to_retry",
                $"session '{sessionId}' has no failed or cancelled nodes");
        }

        engine.Start(sessionId);
        return await GetAsync(sessionId, cancellationToken);
    }

    /// <summary>Explains one node right away, outside any session, within the server-wide limit.</summary>
    public async Task<SingleAgentResponse> RunSingleAsync(SingleAgentRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(request.NodeId))
        {
            errors.Add("node_id", "is required");
        }

        if (!AgentTypes.IsKnown(request.AgentType))
        {
            errors.Add("agent_type", $"must be one of: {string.Join(", ", AgentTypes.All)}");
        }

        if (string.IsNullOrWhiteSpace(request.CanvasPath))
        {
            errors.Add("canvas_path", "is required (a .canvas file relative to the vault root)");
        }

        errors.ThrowIfAny();
        var (path, canvas) = await LoadCanvasAsync(request.CanvasPath!, cancellationToken);
        var node = canvas.FindNode(request.NodeId!);
        if (node is not { Type: "text" })
        {
            throw new RefusalException(RefusalKind.NotFound, "node_not_found",
                $"no text node '{request.NodeId}' on canvas '{request.CanvasPath}'");
        }

        if (ConceptSelection.Skip(node.Id, node.Text) is { } empty)
        {
            return new SingleAgentResponse(node.Id, null, NodeStatus.Failed, $"{empty.Reason}: {empty.Message}");
        }

        var file = await ReserveSingleFileAsync(path, canvas, node.Id, request.AgentType!, node.Text ?? "", cancellationToken);
        var agentRequest = new AgentRequest(request.AgentType!, node.Id, node.Text ?? "", [],
            SessionContext.ConnectedConcepts(canvas, node.Id),
            Path.GetFileNameWithoutExtension(path));
        try
        {
            var outcome = await executor.ExplainAsync(
                providers.Find(providers.DefaultName)!, agentRequest, file, $"single:{file}", "single", null, engine.AcquireSlotAsync, cancellationToken);

            outcome = outcome is null ? null : await executor.AddToCanvasAsync(path, "single", node.Id, outcome, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            return outcome?.Failure is { } failure
                ? new SingleAgentResponse(node.Id, null, NodeStatus.Failed, $"{failure.ErrorType}: {failure.ErrorMessage}")
                : new SingleAgentResponse(node.Id, file, NodeStatus.Completed, null);
        }
        finally
        {
            lock (_singleRunFiles)
            {
                _singleRunFiles.Remove(file);
            }
        }
    }

    /// <summary>The node's existing explanation file (rewritten in place), else a new unique name.</summary>
    private async Task<string> ReserveSingleFileAsync(string canvasFullPath, CanvasDocument canvas, string nodeId, string agentType, string text, CancellationToken cancellationToken)
    {
        await _planning.WaitAsync(cancellationToken);
        try
        {
            var existing = await ExistingExplanations.LoadAsync(canvas, canvasFullPath, vault, store, cancellationToken);
            var taken = await TakenNamesAsync(canvasFullPath, cancellationToken);
            var file = existing.FileFor(nodeId)
                ?? vault.ToRelative(Path.Combine(ExplanationFiles.DirectoryFor(canvasFullPath), ExplanationFiles.PlanUnique(agentType, text, taken)));
            lock (_singleRunFiles)
            {
                _singleRunFiles.Add(file);
            }

            return file;
        }
        finally
        {
            _planning.Release();
        }
    }

    /// <summary>Names in the explanations folder: on disk, planned by any session, or held by a running single run.</summary>
    private async Task<HashSet<string>> TakenNamesAsync(string canvasFullPath, CancellationToken cancellationToken)
    {
        var directory = ExplanationFiles.DirectoryFor(canvasFullPath);
        var taken = ConfirmPlan.ExistingNames(directory);
        var folder = vault.ToRelative(directory);
        taken.UnionWith((await store.ListFilePathsAsync(folder, cancellationToken)).Select(Path.GetFileName).OfType<string>());
        lock (_singleRunFiles)
        {
            taken.UnionWith(_singleRunFiles.Where(f => f.StartsWith(folder + "/", StringComparison.OrdinalIgnoreCase)).Select(Path.GetFileName).OfType<string>());
        }

        return taken;
    }

    /// <summary>Rough end time: waves of parallel calls, each as long as the provider's typical call.</summary>
    public DateTimeOffset EstimateCompletion(SessionSnapshot snapshot)
    {
        var parallel = Math.Max(1, Math.Min(snapshot.Session.MaxConcurrent, _options.MaxConcurrentNodes));
        var typical = providers.Find(snapshot.Session.AgentProvider)?.TypicalCallDuration ?? TimeSpan.FromSeconds(30);
        var waves = (snapshot.TotalNodes - snapshot.CompletedNodes + parallel - 1) / parallel;
        return timeProvider.GetUtcNow() + (typical * waves);
    }

    private async Task<(string Path, CanvasDocument Canvas)> LoadCanvasAsync(string canvasPath, CancellationToken cancellationToken)
    {
        string path;
        try
        {
            path = vault.ResolveCanvas(canvasPath);
        }
        catch (VaultPathException ex)
        {
            var kind = ex.ErrorCode == "canvas_not_found" ? RefusalKind.NotFound : RefusalKind.Invalid;
            throw new RefusalException(kind, ex.ErrorCode, ex.Message,
                kind == RefusalKind.Invalid ? new Dictionary<string, string[]> { ["canvas_path"] = [ex.Message] } : null);
        }

        try
        {
            return (path, await canvases.LoadAsync(path, cancellationToken));
        }
        catch (CanvasFormatException ex)
        {
            throw new RefusalException(RefusalKind.Unprocessable, "invalid_canvas",
                $"'{canvasPath}' is not a valid JSON Canvas file: {ex.Message}");
        }
    }

    private static string NewSessionId(DateTimeOffset now) =>
        $"ip-{now.UtcDateTime:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    public void Dispose() => _planning.Dispose();
}

/// <summary>A confirmed session, and the nodes of the request it does not hold.</summary>
public sealed record ConfirmOutcome(SessionSnapshot Snapshot, IReadOnlyList<SkippedNode> Skipped);
