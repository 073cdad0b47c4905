using CanvasLearning.Agents;
using CanvasLearning.Canvas;
using CanvasLearning.Execution;
using CanvasLearning.Grouping;
using CanvasLearning.Sessions;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
}
