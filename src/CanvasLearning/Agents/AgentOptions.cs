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
