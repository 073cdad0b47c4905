using CanvasLearning.Agents;
using CanvasLearning.Canvas;
using CanvasLearning.Execution;
using CanvasLearning.Hosting;
using CanvasLearning.Sessions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CanvasLearning.Tests.Support;

/// <summary>
/// The engine and its real collaborators (SQLite file, vault, canvas write-back) without a web server,
/// on a <see cref="FakeTimeProvider"/> clock and the <see cref="ScriptedAgentProvider"/> fake.
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public EngineHarness(TestVault vault, IDictionary<string, string?>? settings = null, string? dataDirectory = null)
    {
        Vault = vault;
        Agent = new ScriptedAgentProvider(Time);
        var all = new Dictionary<string, string?>
        {
            ["Vault:Root"] = vault.Root,
            ["Agents:Provider"] = Agent.Name,
            ["Engine:RetryDelayMilliseconds"] = "0",
            ["Storage:DataDirectory"] = dataDirectory,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddCanvasLearning(configuration);
        services.RemoveAll<IAgentProvider>();
        services.AddSingleton<IAgentProvider>(Agent);
        _services = services.BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public TestVault Vault { get; }

    public ScriptedAgentProvider Agent { get; }

    public ISessionStore Store => _services.GetRequiredService<ISessionStore>();

    public BatchEngine Engine => _services.GetRequiredService<BatchEngine>();

    public BatchService Service => _services.GetRequiredService<BatchService>();

    public CanvasWriteBack WriteBack => _services.GetRequiredService<CanvasWriteBack>();

    public async Task<EngineHarness> InitializeAsync()
    {
        await Store.InitializeAsync();
        return this;
    }

    /// <summary>Confirms one group holding the given nodes (all of the vault's by default) and returns the session id.</summary>
    /// <param name="regenerate">Explain nodes an earlier harness on the same vault explained already.</param>
    public async Task<string> ConfirmAsync(int? maxConcurrent = null, int? timeout = null, IReadOnlyList<string>? nodeIds = null, bool regenerate = false)
    {
        var group = new ConfirmGroup("g1", AgentTypes.OralExplanation, nodeIds ?? Vault.NodeIds);
        var (snapshot, _) = await Service.ConfirmAsync(new ConfirmRequest(Vault.CanvasPath, [group], maxConcurrent, timeout, Regenerate: regenerate));
        return snapshot.Session.SessionId;
    }

    /// <summary>Waits (on real time, bounded) until <paramref name="count"/> agent calls have started.</summary>
    public async Task WaitForStartsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await Agent.Started.WaitAsync(TimeSpan.FromSeconds(30)), $"only {i} of {count} agent calls started");
        }
    }

    public async Task<SessionSnapshot> WaitForEndAsync(string sessionId)
    {
        await Engine.WaitAsync(sessionId).WaitAsync(TimeSpan.FromSeconds(30));
        return (await Store.GetAsync(sessionId))!;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
    }
}
