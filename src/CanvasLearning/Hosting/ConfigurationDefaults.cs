using Microsoft.Extensions.Configuration.Memory;

namespace CanvasLearning.Hosting;

/// <summary>Settings whose defaults differ from the framework's; any other source overrides them.</summary>
internal static class ConfigurationDefaults
{
    private static readonly Dictionary<string, string?> Defaults = new(StringComparer.OrdinalIgnoreCase)
    {
        // Polly logs every handled attempt, and each final failure with a stack trace; the provider's
        // own lines (3001 retry, 3003 failure) say the same once. Logging:LogLevel:Polly brings them back.
        ["Logging:LogLevel:Polly"] = "None",
    };

    public static void AddCanvasLearningDefaults(this IConfigurationBuilder configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
}
