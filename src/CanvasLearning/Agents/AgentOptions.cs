namespace CanvasLearning.Agents;

/// <summary>Which agent provider runs sessions that do not name one. Section <c>Agents</c>.</summary>
public sealed class AgentOptions
{
    public const string Section = "Agents";

    /// <summary><c>offline</c> (built in, no network) is the default.</summary>
    public string Provider { get; set; } = "offline";
}

/// <summary>The registered providers, by name.</summary>
public sealed class AgentProviders(IEnumerable<IAgentProvider> providers, Microsoft.Extensions.Options.IOptions<AgentOptions> options)
{
    private readonly Dictionary<string, IAgentProvider> _byName =
        providers.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    public string DefaultName { get; } = options.Value.Provider;

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public IAgentProvider? Find(string name) => _byName.GetValueOrDefault(name);
}

/// <summary>The configured provider must be one that is registered.</summary>
internal sealed class AgentOptionsValidator(IEnumerable<IAgentProvider> providers) : Microsoft.Extensions.Options.IValidateOptions<AgentOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var names = providers.Select(p => p.Name).ToList();
        return names.Contains(options.Provider, StringComparer.OrdinalIgnoreCase)
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(
                string.Equals(options.Provider, OpenAi.OpenAiAgentProvider.ProviderName, StringComparison.OrdinalIgnoreCase)
                    ? "Agents:Provider is 'openai' but Agents:OpenAI:Model is not set; set it (and Agents:OpenAI:BaseUrl) to use a model"
                    : $"Agents:Provider is '{options.Provider}'; use one of: {string.Join(", ", names)}");
    }
}
