using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;

namespace CanvasLearning.Agents.Offline;

/// <summary>
/// The per-agent Markdown bodies, embedded from Templates/{agent-type}.{en|zh}.md so the
/// wording can be edited as Markdown rather than as C# strings.
/// </summary>
internal static partial class OfflineTemplates
{
    private const string ResourcePrefix = "CanvasLearning.Agents.Offline.Templates.";

    private static readonly string[] LanguageCodes = [OfflinePhrases.English.Code, OfflinePhrases.Chinese.Code];

    // Loaded once and all at once: a missing template is a build mistake and should fail loudly.
    private static readonly Lazy<FrozenDictionary<string, string>> Templates = new(Load);

    /// <summary>
    /// Fills the template's {{placeholders}} in one pass, so note text that happens to contain
    /// "{{term}}" is copied as it is and never substituted again.
    /// </summary>
    public static string Render(string agentType, OfflinePhrases phrases, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(
            Templates.Value[FileName(agentType, phrases.Code)],
            m => values.TryGetValue(m.Groups["name"].Value, out var value)
                ? value
                : throw new InvalidOperationException($"offline template '{FileName(agentType, phrases.Code)}' uses unknown placeholder '{m.Value}'"));

    private static FrozenDictionary<string, string> Load()
    {
        var assembly = typeof(OfflineTemplates).Assembly;
        var templates = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var agentType in AgentTypes.All)
        {
            foreach (var code in LanguageCodes)
            {
                var name = FileName(agentType, code);
                using var stream = assembly.GetManifestResourceStream(ResourcePrefix + name)
                    ?? throw new InvalidOperationException($"offline template '{name}' is not embedded in {assembly.GetName().Name}");
                using var reader = new StreamReader(stream, Encoding.UTF8);

                // A checkout with CRLF line endings must not change the output: it is deterministic.
                templates[name] = reader.ReadToEnd().ReplaceLineEndings("\n").Trim('\n');
            }
        }

        return templates.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string FileName(string agentType, string languageCode) => $"{agentType}.{languageCode}.md";

    [GeneratedRegex(@"\{\{(?<name>[a-z_]+)\}\}")]
    private static partial Regex Placeholder();
}
