using System.Collections.Frozen;

namespace CanvasLearning.Agents.Offline;

/// <summary>
/// The per-agent Markdown bodies, embedded from Templates/{agent-type}.{en|zh}.md so the
/// wording can be edited as Markdown rather than as C# strings.
/// </summary>
internal static class OfflineTemplates
{
    private const string ResourcePrefix = "CanvasLearning.Agents.Offline.Templates.";

    private static readonly string[] LanguageCodes = [OfflinePhrases.English.Code, OfflinePhrases.Chinese.Code];

    private static readonly Lazy<FrozenDictionary<string, string>> Templates = new(() => TemplateText.Load(
        typeof(OfflineTemplates).Assembly,
        ResourcePrefix,
        AgentTypes.All.SelectMany(agentType => LanguageCodes.Select(code => FileName(agentType, code)))));

    public static string Render(string agentType, OfflinePhrases phrases, IReadOnlyDictionary<string, string> values)
    {
        var name = FileName(agentType, phrases.Code);
        return TemplateText.Fill(Templates.Value[name], name, values);
    }

    private static string FileName(string agentType, string languageCode) => $"{agentType}.{languageCode}.md";
}
