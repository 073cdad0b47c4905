using CanvasLearning.Agents.OpenAi;

namespace CanvasLearning.Security;

public static class LogRedactionRegistration
{
    private const string UnredactedKey = "CanvasLearning.Security.UnredactedLoggerFactory";

    /// <summary>
    /// Puts a <see cref="RedactingLoggerFactory"/> in front of the registered logger factory, so no log
    /// line at any level shows the API key or an <c>access_token</c>. Call it last, once every
    /// service (tests' log providers included) is registered. The original registration (instance,
    /// factory or type) is kept under a key, so the container builds and disposes it as before.
    /// </summary>
    public static IServiceCollection AddLogRedaction(this IServiceCollection services, IConfiguration configuration)
    {
        var index = services.Count - 1;
        while (index >= 0 && !(services[index].ServiceType == typeof(ILoggerFactory) && !services[index].IsKeyedService))
        {
            index--;
        }

        if (index < 0 || services.Any(d => d.ServiceType == typeof(ILoggerFactory) && Equals(d.ServiceKey, UnredactedKey)))
        {
            return services;
        }

        var original = services[index];
        var redactor = new LogRedactor(Secrets(configuration));
        services.Add(Keyed(original));
        services[index] = new ServiceDescriptor(typeof(ILoggerFactory),
            sp => new RedactingLoggerFactory(sp.GetRequiredKeyedService<ILoggerFactory>(UnredactedKey), redactor), original.Lifetime);
        return services;
    }

    /// <summary>
    /// What no log may show: the service's API key, and the model provider's key, from the variable
    /// <c>Agents:OpenAI:ApiKeyVariable</c> names and from the usual <c>OPENAI_API_KEY</c>.
    /// </summary>
    private static IEnumerable<string?> Secrets(IConfiguration configuration)
    {
        yield return configuration[$"{SecurityOptions.Section}:{nameof(SecurityOptions.ApiKey)}"];
        var variable = configuration[$"{OpenAiAgentOptions.Section}:{nameof(OpenAiAgentOptions.ApiKeyVariable)}"];
        yield return string.IsNullOrWhiteSpace(variable) ? null : Environment.GetEnvironmentVariable(variable);
        yield return Environment.GetEnvironmentVariable(new OpenAiAgentOptions().ApiKeyVariable);
    }

    private static ServiceDescriptor Keyed(ServiceDescriptor d) => d switch
    {
        { ImplementationInstance: { } instance } => new ServiceDescriptor(d.ServiceType, UnredactedKey, instance),
        { ImplementationFactory: { } factory } => new ServiceDescriptor(d.ServiceType, UnredactedKey, (sp, _) => factory(sp), d.Lifetime),
        _ => new ServiceDescriptor(d.ServiceType, UnredactedKey, d.ImplementationType!, d.Lifetime),
    };
}
