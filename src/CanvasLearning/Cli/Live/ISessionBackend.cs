using CanvasLearning.Api.Contracts;
using CanvasLearning.Execution;
using CanvasLearning.Grouping;

namespace CanvasLearning.Cli.Live;

/// <summary>
/// Where <c>run</c> and <c>watch</c> do their work: the engine in this process, or a running
/// <c>serve</c> over REST and its WebSocket. Both speak the same contract types and event frames.
/// </summary>
internal interface ISessionBackend
{
    /// <summary>True for a running service: stopping watching leaves the session going.</summary>
    bool IsRemote { get; }

    /// <summary>The clock of the waits, refreshes and elapsed times while watching.</summary>
    TimeProvider Time { get; }

    Task<AnalyzeResponse> AnalyzeAsync(AnalyzeRequest request, CancellationToken cancellationToken);

    /// <summary>Starts a session; its id and the nodes it left out.</summary>
    Task<(string SessionId, IReadOnlyList<SkippedNode> Skipped)> ConfirmAsync(ConfirmRequest request, CancellationToken cancellationToken);

    Task<SessionStatusResponse> GetAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Feeds <paramref name="view"/> the events after its <c>last_seq</c> until the session ends.</summary>
    Task FollowAsync(SessionView view, CancellationToken cancellationToken);

    Task CancelAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>The agent provider a session used, when this backend can tell.</summary>
    Task<string?> ProviderAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>A vault-relative path as the user can open it.</summary>
    string Show(string vaultRelativePath);

    /// <summary>What happens to the session when watching stops, and how to go on.</summary>
    string StoppedHint(string sessionId);
}
