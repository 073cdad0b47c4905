using CanvasLearning.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Realtime;

/// <summary>
/// One real server (Kestrel on 127.0.0.1) per test class over a fresh <see cref="TestVault"/>, with the
/// scripted fake agent. Tests of a class run one after another; each uses its own sessions and nodes.
/// </summary>
public abstract class RealtimeTestBase(int purpleNodes = 12) : IAsyncLifetime
{
    private TestVault? _vault;
    private TestServer? _server;

    protected TestVault Vault => _vault ?? throw new InvalidOperationException("not initialized");

    protected TestServer Server => _server ?? throw new InvalidOperationException("not initialized");

    protected ScriptedAgentProvider Agent => Server.Agent!;

    public async Task InitializeAsync()
    {
        _vault = new TestVault(purpleNodes);
        _server = await TestServer.StartAsync(_vault, CreateAgent(), Settings(), Configure);
    }

    public async Task DisposeAsync()
    {
        await CleanUpAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _vault?.Dispose();
    }

    protected virtual ScriptedAgentProvider? CreateAgent() => null;

    /// <summary>Runs before the server stops.</summary>
    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    protected virtual Dictionary<string, string?> Settings() => [];

    protected virtual void Configure(IServiceCollection services)
    {
    }

    /// <summary>Confirms one group of <paramref name="nodeIds"/>; the session's own timeout is the longest allowed, so fake clocks never end it.</summary>
    protected Task<string> StartSessionAsync(params string[] nodeIds) =>
        Wire.ConfirmGroupsAsync(Server, Vault.CanvasPath, 3600, ("oral-explanation", nodeIds));

    /// <summary>
    /// Hangs these nodes in the fake agent (until the session is cancelled), starts a session of them and
    /// waits until their calls began: from then on the session logs nothing until it is cancelled.
    /// </summary>
    protected async Task<string> StartHungSessionAsync(params string[] nodeIds)
    {
        foreach (var id in nodeIds)
        {
            Agent.Hang[id] = true;
        }

        while (Agent.Started.Wait(0))
        {
        }

        var session = await StartSessionAsync(nodeIds);
        for (var i = 0; i < nodeIds.Length; i++)
        {
            Assert.True(await Agent.Started.WaitAsync(Wire.Within), $"only {i} of {nodeIds.Length} agent calls started");
        }

        return session;
    }

    /// <summary>
    /// The server still serves a new client normally: <c>connected</c>, then a pong for a ping, on a
    /// fresh live session of the vault's last node, which tests keep hanging for this.
    /// </summary>
    protected async Task AssertStillServesAsync()
    {
        var id = await StartHungSessionAsync(Vault.NodeIds[^1]);
        await Wire.AssertServesAsync(Server, id);
        await CancelAsync(id);
    }

    protected async Task CancelAsync(string sessionId)
    {
        using var response = await Server.Client.PostRawAsync($"{Base}/cancel/{sessionId}", "");
        Assert.True(response.IsSuccessStatusCode, $"cancel answered {(int)response.StatusCode}");
    }

    protected Task WaitForOpenConnectionsAsync(long count) =>
        Wire.WaitUntilAsync(() => Wire.Metrics(Server).OpenConnections == count, $"{count} open connection(s) (now {Wire.Metrics(Server).OpenConnections})");
}
