namespace CanvasLearning.Sessions;

/// <summary>
/// Sessions, their node results and their event log. Every change that produces events writes the
/// state and the events in one transaction and returns the events, numbered n+1.., for publishing.
/// </summary>
public interface ISessionStore
{
    Task InitializeAsync(CancellationToken cancellationToken = default);

    Task CreateAsync(NewSession session, CancellationToken cancellationToken = default);

    Task<SessionSnapshot?> GetAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>The session's status, log end and counts, without its nodes: one row, however large the session (what a watcher is told first).</summary>
    Task<SessionState?> GetStateAsync(string sessionId, CancellationToken cancellationToken = default);

    Task<SessionPage> ListAsync(long offset, int limit, CancellationToken cancellationToken = default);

    /// <summary>Vault-relative output paths planned by any session inside <paramref name="folder"/> (vault-relative).</summary>
    Task<IReadOnlyList<string>> ListFilePathsAsync(string folder, CancellationToken cancellationToken = default);

    /// <summary>
    /// What sessions on <paramref name="canvasPath"/> (vault-relative) wrote or are writing, per node:
    /// completed nodes, and nodes a pending or running session has yet to finish. Newest session first.
    /// </summary>
    Task<IReadOnlyList<RecordedOutput>> ListOutputsAsync(string canvasPath, CancellationToken cancellationToken = default);

    /// <summary>Ids of sessions that are pending or running: the work to resume after a restart.</summary>
    Task<IReadOnlyList<string>> ListUnfinishedAsync(CancellationToken cancellationToken = default);

    /// <summary>Marks the session running; nodes left running by a dead process go back to pending.</summary>
    Task<IReadOnlyList<SessionEvent>> StartAsync(string sessionId, CancellationToken cancellationToken = default);

    Task MarkNodeRunningAsync(string sessionId, string nodeId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SessionEvent>> CompleteNodeAsync(string sessionId, string nodeId, NodeSuccess success, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SessionEvent>> FailNodeAsync(string sessionId, string nodeId, NodeFailure failure, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends the session: unfinished nodes become cancelled when <paramref name="cancelled"/>, the status
    /// follows from the outcomes, and <c>session_completed</c> is logged. No-op on a terminal session.
    /// </summary>
    Task<IReadOnlyList<SessionEvent>> FinishAsync(string sessionId, bool cancelled, CancellationToken cancellationToken = default);

    /// <summary>Failed and cancelled nodes of a terminal session go back to pending; the session too. Returns how many.</summary>
    Task<int> ResetFailedAsync(string sessionId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SessionEvent>> ReadEventsAsync(string sessionId, long afterSeq, int limit, CancellationToken cancellationToken = default);
}
