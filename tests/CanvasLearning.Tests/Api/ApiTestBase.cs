using System.Diagnostics.CodeAnalysis;
using CanvasLearning.Tests.Support;

namespace CanvasLearning.Tests.Api;

/// <summary>
/// One real server per test class: a fresh <see cref="TestVault"/> and a <see cref="TestServer"/> over
/// it with the scripted fake agent, both disposed when the class is done.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "xunit disposes the class through IAsyncLifetime.DisposeAsync, which disposes the vault after the server.")]
public abstract class ApiTestBase(int purpleNodes = 6, IDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    private TestVault? _vault;
    private TestServer? _server;

    protected TestVault Vault => _vault ?? throw new InvalidOperationException("not initialized");

    protected TestServer Server => _server ?? throw new InvalidOperationException("not initialized");

    protected HttpClient Client => Server.Client;

    protected ScriptedAgentProvider Agent => Server.Agent!;

    public async Task InitializeAsync()
    {
        _vault = new TestVault(purpleNodes);
        _server = await TestServer.StartAsync(_vault, settings: settings);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _vault?.Dispose();
    }

    /// <summary>Forgets the starts signalled by earlier tests of the class, so the next wait counts only new calls.</summary>
    protected void ForgetEarlierStarts()
    {
        while (Agent.Started.Wait(0))
        {
        }
    }

    /// <summary>Waits until <paramref name="count"/> agent calls have begun (deadline: <see cref="ApiCalls.Deadline"/>).</summary>
    protected async Task WaitForCallsToStartAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await Agent.Started.WaitAsync(ApiCalls.Deadline), $"only {i} of {count} agent calls started within {ApiCalls.Deadline.TotalSeconds} s");
        }
    }
}
