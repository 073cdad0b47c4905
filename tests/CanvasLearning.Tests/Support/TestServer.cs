using System.Globalization;
using CanvasLearning.Agents;
using CanvasLearning.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CanvasLearning.Tests.Support;

/// <summary>
/// The real HTTP service (Kestrel) on 127.0.0.1 and a free port, over a <see cref="TestVault"/>, with
/// the agent provider swapped for a <see cref="ScriptedAgentProvider"/> fake unless told otherwise.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(WebApplication app, HttpClient client, ScriptedAgentProvider? agent)
    {
        App = app;
        Client = client;
        Agent = agent;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    /// <summary>The fake provider, when one was installed.</summary>
    public ScriptedAgentProvider? Agent { get; }

    public Uri BaseAddress => Client.BaseAddress!;

    public IServiceProvider Services => App.Services;

    public static async Task<TestServer> StartAsync(
        TestVault vault,
        ScriptedAgentProvider? agent = null,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null,
        bool useOfflineAgent = false)
    {
        agent ??= useOfflineAgent ? null : new ScriptedAgentProvider();
        var all = new Dictionary<string, string?>
        {
            ["Vault:Root"] = vault.Root,
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Engine:RetryDelayMilliseconds"] = "0",
        };
        if (agent is not null)
        {
            all["Agents:Provider"] = agent.Name;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var app = ServerApp.Build(all, services =>
        {
            if (agent is not null)
            {
                services.RemoveAll<IAgentProvider>();
                services.AddSingleton<IAgentProvider>(agent);
            }

            configure?.Invoke(services);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        return new TestServer(app, client, agent);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
