using CanvasLearning.Agents;
using CanvasLearning.Agents.OpenAi;
using CanvasLearning.Canvas;
using CanvasLearning.Execution;
using CanvasLearning.Grouping;
using CanvasLearning.Sessions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Hosting;

/// <summary>Registers every feature; the web server and the command line share it.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddCanvasLearning(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        return services
            .AddCanvas(configuration)
            .AddGrouping()
            .AddAgents(configuration)
            .AddSessions(configuration)
            .AddExecution(configuration);
    }

    public static IServiceCollection AddCanvas(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<VaultOptions>().Bind(configuration.GetSection(VaultOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.Root) || Directory.Exists(o.Root), "Vault:Root must be an existing folder")
            .ValidateOnStart();
        services.AddSingleton(sp => new Vault(sp.GetRequiredService<IOptions<VaultOptions>>().Value.Root));
        services.AddSingleton<CanvasWriteBack>();
        return services;
    }

    public static IServiceCollection AddAgents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AgentOptions>().Bind(configuration.GetSection(AgentOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        services.AddOptions<OfflineAgentOptions>().Bind(configuration.GetSection(OfflineAgentOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IAgentProvider, OfflineAgentProvider>();
        services.AddOpenAiAgent(configuration);
        services.AddSingleton<AgentProviders>();
        return services;
    }

    public static IServiceCollection AddSessions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton<ISessionStore>(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var vault = sp.GetRequiredService<Vault>();
            var folder = string.IsNullOrWhiteSpace(storage.DataDirectory) ? Path.Combine(vault.Root, ".canvas-learning") : storage.DataDirectory;
            return new SqliteSessionStore(Path.Combine(folder, "sessions.db"), sp.GetRequiredService<TimeProvider>(), storage.BusyTimeoutMilliseconds,
                sp.GetRequiredService<IEventBus>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<SqliteSessionStore>());
        });
        services.TryAddSingleton<IEventBus, InProcessEventBus>();
        return services;
    }

    public static IServiceCollection AddExecution(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EngineOptions>().Bind(configuration.GetSection(EngineOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ExplanationWriter>();
        services.AddSingleton<NodeExecutor>();
        services.AddSingleton<BatchEngine>();
        services.AddSingleton<BatchService>();
        services.AddHostedService<EngineLifetime>();
        return services;
    }
}
