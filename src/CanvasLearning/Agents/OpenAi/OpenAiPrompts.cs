using System.Collections.Frozen;
using System.Text;
using CanvasLearning.Agents.Offline;
using Microsoft.Extensions.AI;

namespace CanvasLearning.Agents.OpenAi;

/// <summary>
/// The chat messages for one node: the shared system prompt and the agent type's task, both
/// embedded from Prompts/*.md, filled with the node's text and its canvas context.
/// </summary>
internal static class OpenAiPrompts
{
    private const string ResourcePrefix = "CanvasLearning.Agents.OpenAi.Prompts.";
    private const string SystemName = "system.md";

    // A session may hold hundreds of nodes; the prompt carries the nearest ones, each kept short.
    private const int MaxGroupConcepts = 20;
    private const int MaxConnectedConcepts = 12;
    private const int MaxContextLength = 200;
    private const int MaxConceptLength = 4_000;

    private static readonly Lazy<FrozenDictionary<string, string>> Templates = new(() => TemplateText.Load(
        typeof(OpenAiPrompts).Assembly,
        ResourcePrefix,
        [SystemName, .. AgentTypes.All.Select(FileName)]));

    /// <summary>The language the note is written in, as the prompt names it.</summary>
    public static string LanguageName(OfflinePhrases phrases) =>
        phrases.Code == OfflinePhrases.Chinese.Code ? "Simplified Chinese (简体中文)" : "English";

    public static IReadOnlyList<ChatMessage> Build(AgentRequest request, OfflinePhrases language)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["concept"] = ConceptText.Truncate(request.Text.Trim(), MaxConceptLength),
            ["group_concepts"] = Bullets(request.GroupConcepts, MaxGroupConcepts),
            ["connected_concepts"] = Bullets(request.ConnectedConcepts, MaxConnectedConcepts),
            ["canvas_name"] = request.CanvasName,
            ["language"] = LanguageName(language),
        };
        var task = FileName(request.AgentType);
        return
        [
            new ChatMessage(ChatRole.System, TemplateText.Fill(Templates.Value[SystemName], SystemName, values)),
            new ChatMessage(ChatRole.User, TemplateText.Fill(Templates.Value[task], task, values)),
        ];
    }

    private static string Bullets(IReadOnlyList<string> concepts, int max)
    {
        var lines = concepts
            .Select(c => ConceptText.Truncate(ConceptText.OneLine(c), MaxContextLength))
            .Where(c => c.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (lines.Count == 0)
        {
            return "(none)";
        }

        var text = new StringBuilder();
        foreach (var line in lines.Take(max))
        {
            text.Append("- ").Append(line).Append('\n');
        }

        if (lines.Count > max)
        {
            text.Append("- (").Append(lines.Count - max).Append(" more)\n");
        }

        return text.ToString().TrimEnd('\n');
    }

    private static string FileName(string agentType) => agentType + ".md";
}
