using CanvasLearning.Canvas;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Sessions;

/// <summary>The session store and the bus it publishes committed events on.</summary>
public static class SessionsRegistration
{
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
}
