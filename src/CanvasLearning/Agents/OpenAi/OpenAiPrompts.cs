using System.Collections.Frozen;
using System.Text;
using CanvasLearning.Agents.Offline;
using Microsoft.Extensions.AI;

namespace CanvasLearning.Agents.OpenAi;

/// <summary>
/// The chat messages for one node: the shared system prompt and the agent type's task, both
/// embedded from Prompts/*.md, filled with the node's text and its canvas context.
/// </summary>
internal static partial class OpenAiPrompts
{
    private const string ResourcePrefix = "CanvasLearning.Agents.OpenAi.Prompts.";
    private const string SystemName = "system.md";

    // A session may hold hundreds of nodes; the prompt carries the nearest ones, each kept short.
    private const int MaxConnectedConcepts = 12;
    private const int MaxContextLength = 200;
    private const int MaxConceptLength = 4_000;

    private static readonly Lazy<FrozenDictionary<string, string>> Templates = new(() => TemplateText.Load(
        typeof(OpenAiPrompts).Assembly,
        ResourcePrefix,
        [SystemName, .. AgentTypes.All.Select(FileName)]));

    /// <summary>The language the note is written in, as the prompt names it.</summary>
    /// <remarks>
    /// Kana mean Japanese even though kanji are Han characters; other Han text is Chinese. Any
    /// other script is left to the model to recognise, so a German note gets a German answer.
    /// </remarks>
    public static string LanguageName(OfflinePhrases phrases, string noteText) =>
        HasKana(noteText) ? "Japanese (日本語)"
        : phrases.Code == OfflinePhrases.Chinese.Code ? "Simplified Chinese (简体中文)"
        : "the language the concept note is written in (English if that is unclear)";

    private static bool HasKana(string text) => text.Any(c => c is >= '\u3040' and <= '\u30FF');

    public static IReadOnlyList<ChatMessage> Build(AgentRequest request, OfflinePhrases language)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["concept"] = Quoted(ConceptText.Truncate(request.Text.Trim(), MaxConceptLength)),
            ["group_concepts"] = Quoted(Bullets(request.GroupConcepts, AgentRequest.MaxGroupConcepts)),
            ["connected_concepts"] = Quoted(Bullets(request.ConnectedConcepts, MaxConnectedConcepts)),
            ["canvas_name"] = Quoted(ConceptText.OneLine(request.CanvasName)),
            ["language"] = LanguageName(language, request.Text),
        };
        var task = FileName(request.AgentType);
        return
        [
            new ChatMessage(ChatRole.System, TemplateText.Fill(Templates.Value[SystemName], SystemName, values)),
            new ChatMessage(ChatRole.User, TemplateText.Fill(Templates.Value[task], task, values)),
        ];
    }

    /// <summary>
    /// The prompts fence the learner's text with <c>"""</c>; a note holding <c>"""</c> itself could
    /// close the fence and pass the rest off as instructions. Runs of three or more quotes become
    /// typographic ones.
    /// </summary>
    internal static string Quoted(string text) => FenceLike().Replace(text, m => new string('”', m.Length));

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

    [System.Text.RegularExpressions.GeneratedRegex("\"{3,}")]
    private static partial System.Text.RegularExpressions.Regex FenceLike();
}
