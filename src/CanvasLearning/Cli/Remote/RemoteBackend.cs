using CanvasLearning.Api.Contracts;
using CanvasLearning.Cli.Live;
using CanvasLearning.Execution;
using CanvasLearning.Grouping;

namespace CanvasLearning.Cli.Remote;

/// <summary>A running <c>serve</c>: REST for the calls, its WebSocket (or polling, when the socket cannot be opened) for the events.</summary>
internal sealed class RemoteBackend(ServiceClient client, Action<string> notice, string? provider = null, TimeProvider? time = null) : ISessionBackend
{
    public bool IsRemote => true;

    public TimeProvider Time { get; } = time ?? TimeProvider.System;

    public ServiceClient Client => client;

    public Task<AnalyzeResponse> AnalyzeAsync(AnalyzeRequest request, CancellationToken cancellationToken) =>
        client.AnalyzeAsync(request, cancellationToken);

    public async Task<(string SessionId, IReadOnlyList<SkippedNode> Skipped)> ConfirmAsync(ConfirmRequest request, CancellationToken cancellationToken)
    {
        var answer = await client.ConfirmAsync(request, cancellationToken);
        return (answer.SessionId, answer.SkippedNodes);
    }

    public Task<SessionStatusResponse> GetAsync(string sessionId, CancellationToken cancellationToken) => client.GetAsync(sessionId, cancellationToken);

    public Task FollowAsync(SessionView view, CancellationToken cancellationToken) =>
        new SocketFollower(client, view, notice, Time).RunAsync(cancellationToken);

    public async Task CancelAsync(string sessionId, CancellationToken cancellationToken) => await client.CancelAsync(sessionId, cancellationToken);

    public Task<string?> ProviderAsync(string sessionId, CancellationToken cancellationToken) => Task.FromResult(provider);

    public string Show(string vaultRelativePath) => $"{vaultRelativePath} (in the server's vault)";

    public string StoppedHint(string sessionId) =>
        $"Stopped watching; session {sessionId} goes on on the server. Follow it again: canvas-learning watch {sessionId}{ServerArgument}; cancel it: canvas-learning cancel {sessionId}{ServerArgument}";

    /// <summary>The <c>--server</c> to repeat in a suggested command, unless it is the default.</summary>
    public string ServerArgument => ServerOptions.IsDefault(client.Server) ? "" : $" --server {client.Server.ToString().TrimEnd('/')}";
}
