
namespace CanvasLearning.Execution;

/// <summary>The engine, the executor of one node, and the service the API and the command line call.</summary>
public static class ExecutionRegistration
{
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
