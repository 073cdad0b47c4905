namespace CanvasLearning.Sessions;

public sealed partial class SqliteSessionStore
{
    public Task<IReadOnlyList<SessionEvent>> StartAsync(string sessionId, CancellationToken cancellationToken = default) =>
        WriteAsync(sessionId, async (connection, tx, log) =>
        {
            await ExecuteAsync(connection, tx, """
                UPDATE sessions SET status = 'running', started_at = COALESCE(started_at, $now), completed_at = NULL
                WHERE session_id = $id AND status IN ('pending', 'running');
                UPDATE session_nodes SET status = 'pending' WHERE session_id = $id AND status = 'running';
                """, cancellationToken, ("$id", sessionId), ("$now", Format(log.Now)));
            var snapshot = await ReadSnapshotAsync(connection, tx, sessionId, cancellationToken);
            if (snapshot is not null)
            {
                log.Progress(NodeCounts.Of(snapshot), node: null);
            }
        }, cancellationToken);

    public async Task MarkNodeRunningAsync(string sessionId, string nodeId, CancellationToken cancellationToken = default) =>
        await WriteAsync(sessionId, (connection, tx, _) => ExecuteAsync(connection, tx,
            "UPDATE session_nodes SET status = 'running', attempts = attempts + 1 WHERE session_id = $id AND node_id = $node",
            cancellationToken, ("$id", sessionId), ("$node", nodeId)), cancellationToken);

    public Task<IReadOnlyList<SessionEvent>> CompleteNodeAsync(string sessionId, string nodeId, NodeSuccess success, CancellationToken cancellationToken = default) =>
        WriteAsync(sessionId, async (connection, tx, log) =>
        {
            await ExecuteAsync(connection, tx, """
                UPDATE session_nodes SET status = 'completed', file_size = $size, duration_ms = $duration, model = $model,
                    tokens_in = $in, tokens_out = $out, error_message = NULL, error_type = NULL
                WHERE session_id = $id AND node_id = $node
                """, cancellationToken, ("$id", sessionId), ("$node", nodeId), ("$size", success.FileSize),
                ("$duration", success.DurationMs), ("$model", success.Model), ("$in", success.TokensIn), ("$out", success.TokensOut));
            var node = await ReadNodeProgressAsync(connection, tx, sessionId, nodeId, cancellationToken);
            log.Append(EventTypes.TaskCompleted, new TaskCompletedData(node.NodeId, node.FilePath, success.FileSize, node.GroupId, node.AgentType, success.DurationMs, success.Model, success.TokensIn, success.TokensOut), EventJsonContext.Default.TaskCompletedData);
            log.Progress(node.Session, node);
            log.GroupCompletedIfDone(node);
        }, cancellationToken);

    public Task<IReadOnlyList<SessionEvent>> FailNodeAsync(string sessionId, string nodeId, NodeFailure failure, CancellationToken cancellationToken = default) =>
        WriteAsync(sessionId, async (connection, tx, log) =>
        {
            await ExecuteAsync(connection, tx, """
                UPDATE session_nodes SET status = 'failed', error_message = $message, error_type = $type, duration_ms = $duration
                WHERE session_id = $id AND node_id = $node
                """, cancellationToken, ("$id", sessionId), ("$node", nodeId), ("$message", failure.ErrorMessage),
                ("$type", failure.ErrorType), ("$duration", failure.DurationMs));
            var node = await ReadNodeProgressAsync(connection, tx, sessionId, nodeId, cancellationToken);
            log.Append(EventTypes.TaskFailed, new TaskFailedData(node.NodeId, failure.ErrorMessage, node.GroupId, failure.ErrorType), EventJsonContext.Default.TaskFailedData);
            log.Progress(node.Session, node);
            log.GroupCompletedIfDone(node);
        }, cancellationToken);

    public Task<IReadOnlyList<SessionEvent>> FinishAsync(string sessionId, bool cancelled, CancellationToken cancellationToken = default) =>
        WriteAsync(sessionId, async (connection, tx, log) =>
        {
            var before = await ReadSnapshotAsync(connection, tx, sessionId, cancellationToken);
            if (before is null || SessionStatus.IsTerminal(before.Session.Status))
            {
                return;
            }

            if (cancelled)
            {
                await ExecuteAsync(connection, tx,
                    "UPDATE session_nodes SET status = 'cancelled' WHERE session_id = $id AND status IN ('pending', 'running')",
                    cancellationToken, ("$id", sessionId));
            }

            var snapshot = (await ReadSnapshotAsync(connection, tx, sessionId, cancellationToken))!;
            var succeeded = snapshot.CompletedNodes;
            var failed = snapshot.FailedNodes;
            var status = cancelled ? SessionStatus.Cancelled : SessionStatus.FromOutcome(succeeded, failed);
            await ExecuteAsync(connection, tx,
                "UPDATE sessions SET status = $status, completed_at = $now WHERE session_id = $id",
                cancellationToken, ("$id", sessionId), ("$status", status), ("$now", Format(log.Now)));
            var started = snapshot.Session.StartedAt ?? snapshot.Session.CreatedAt;
            var duration = Math.Round((log.Now - started).TotalSeconds, 1);
            log.Append(EventTypes.SessionCompleted, new SessionCompletedData(status, duration, succeeded, failed), EventJsonContext.Default.SessionCompletedData);
        }, cancellationToken);

    public async Task<int> ResetFailedAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var count = 0;
        await WriteAsync(sessionId, async (connection, tx, _) =>
        {
            var snapshot = await ReadSnapshotAsync(connection, tx, sessionId, cancellationToken);
            if (snapshot is null || !SessionStatus.IsTerminal(snapshot.Session.Status))
            {
                return;
            }

            count = await ExecuteAsync(connection, tx, """
                UPDATE session_nodes SET status = 'pending', error_message = NULL, error_type = NULL
                WHERE session_id = $id AND status IN ('failed', 'cancelled')
                """, cancellationToken, ("$id", sessionId));
            if (count > 0)
            {
                await ExecuteAsync(connection, tx, "UPDATE sessions SET status = 'pending', completed_at = NULL WHERE session_id = $id",
                    cancellationToken, ("$id", sessionId));
            }
        }, cancellationToken);
        return count;
    }

    /// <summary>
    /// Appends <paramref name="count"/> events of <paramref name="type"/> whose frames
    /// <paramref name="frame"/> writes from their seq, in one transaction: synthetic events through
    /// the real log, for the fan-out benchmark.
    /// </summary>
    internal Task<IReadOnlyList<SessionEvent>> AppendFramesAsync(string sessionId, string type, int count, Func<long, string> frame, CancellationToken cancellationToken) =>
        WriteAsync(sessionId, (_, _, log) =>
        {
            for (var i = 0; i < count; i++)
            {
                log.AppendFrame(type, frame);
            }

            return Task.CompletedTask;
        }, cancellationToken);
}
