using CanvasLearning.Agents.OpenAi;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Agents;

/// <summary>The agent providers: the offline one and the OpenAI-compatible one.</summary>
public static class AgentsRegistration
{
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
}
