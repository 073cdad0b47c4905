using CanvasLearning.Agents.OpenAi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CanvasLearning.Tests.Support;

/// <summary>
/// The real service with the real OpenAI-compatible provider, pointed at a <see cref="FakeOpenAiServer"/>
/// (a FAKE model endpoint, real HTTP on 127.0.0.1). The API key comes from an environment variable
/// unique to this stack, as in production. Logs are captured in <see cref="Logs"/>.
/// </summary>
public sealed class OpenAiSetup : IAsyncDisposable
{
    public const string Model = "fake-model-1";

    private OpenAiSetup(TestVault vault, FakeOpenAiServer model, TestServer server, LogCapture logs, string keyVariable, string key)
    {
        Vault = vault;
        ModelServer = model;
        Server = server;
        Logs = logs;
        KeyVariable = keyVariable;
        Key = key;
    }

    public TestVault Vault { get; }

    public FakeOpenAiServer ModelServer { get; }

    public TestServer Server { get; }

    public HttpClient Client => Server.Client;

    public LogCapture Logs { get; }

    public string KeyVariable { get; }

    public string Key { get; }

    public AgentMetrics Metrics => Server.Services.GetRequiredService<AgentMetrics>();

    public ConcurrencyGate Gate => Server.Services.GetRequiredService<ConcurrencyGate>();

    /// <param name="settings">Overrides; by default retries are quick (50 ms base delay) and the server default provider is openai.</param>
    /// <param name="timeProvider">The server's clock (engine, retries, attempt timeouts, the gate); the system clock by default.</param>
    public static async Task<OpenAiSetup> StartAsync(int nodes = 6, IDictionary<string, string?>? settings = null, TimeProvider? timeProvider = null)
    {
        var vault = new TestVault(nodes);
        var model = await FakeOpenAiServer.StartAsync();
        var keyVariable = "CL_TEST_OPENAI_KEY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var key = "sk-test-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(keyVariable, key);
        var all = new Dictionary<string, string?>
        {
            ["Agents:Provider"] = OpenAiAgentProvider.ProviderName,
            ["Agents:OpenAI:BaseUrl"] = model.BaseUrl.ToString(),
            ["Agents:OpenAI:Model"] = Model,
            ["Agents:OpenAI:ApiKeyVariable"] = keyVariable,
            ["Agents:OpenAI:RetryDelayMilliseconds"] = "50",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }

        var logs = new LogCapture();
        var server = await TestServer.StartAsync(vault, settings: all, useOfflineAgent: true,
            configure: services =>
            {
                services.AddSingleton<ILoggerProvider>(logs);
                if (timeProvider is not null)
                {
                    services.AddSingleton(timeProvider);
                }
            });
        return new OpenAiSetup(vault, model, server, logs, keyVariable, key);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await ModelServer.DisposeAsync();
        Environment.SetEnvironmentVariable(KeyVariable, null);
        Vault.Dispose();
    }
}
