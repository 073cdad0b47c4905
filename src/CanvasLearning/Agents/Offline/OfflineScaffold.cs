using System.Text;
using System.Text.RegularExpressions;

namespace CanvasLearning.Agents.Offline;

/// <summary>
/// Assembles one scaffold: front matter, the "generated offline" callout, the title, the
/// agent's template body and the related concepts. Pure: the same request gives the same text.
/// </summary>
internal static partial class OfflineScaffold
{
    private const int MaxRelatedLength = 120;
    private const int MaxNearestLength = 60;

    public static string Render(AgentRequest request)
    {
        var phrases = LanguageOf(request);
        var title = ConceptText.Title(request.Text);
        var term = title.Length == 0 ? phrases.UntitledConcept : ConceptText.Term(title);
        title = title.Length == 0 ? phrases.UntitledConcept : title;

        var related = RelatedConcepts(request, title, term);
        var nearest = related.Select(r => ConceptText.Truncate(ConceptText.Term(r), MaxNearestLength)).FirstOrDefault();
        var items = ComparisonItems.Extract(title) is { Count: > 0 } extracted
            ? extracted
            : [term, nearest ?? phrases.RelatedConceptColumn];

        var body = OfflineTemplates.Render(request.AgentType, phrases, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["title"] = title,
            ["term"] = term,
            ["nearest"] = nearest ?? phrases.NearestFallback,
            ["items"] = phrases.JoinItems(items),
            ["comparison_table"] = ComparisonTable.Render(items, phrases),
            ["known_checklist"] = KnownChecklist(related, phrases),
        });

        var markdown = new StringBuilder();
        MarkdownText.AppendFrontMatter(markdown, "canvas-learning offline agent", request, title, phrases.Code, OfflineAgentProvider.ModelName);
        markdown.Append("> [!note] ").Append(phrases.CalloutTitle).Append('\n')
            .Append("> ").Append(phrases.CalloutBody).Append("\n\n")
            .Append("# ").Append(title).Append("\n\n");
        AppendSourceNote(markdown, request.Text, title, phrases);
        markdown.Append(body).Append('\n');
        if (related.Count > 0)
        {
            markdown.Append("\n## ").Append(phrases.RelatedHeading).Append("\n\n");
            foreach (var concept in related)
            {
                markdown.Append("- ").Append(concept).Append('\n');
            }
        }

        return markdown.ToString();
    }

    /// <summary>
    /// The node's own text decides when it says something: Chinese with a Han character, English
    /// with a few words of Latin script. A name, formula or acronym alone ("Dijkstra", "O(n log n)")
    /// does not: then the group it was marked with decides (most of its concepts Chinese or not),
    /// then the nodes linked to it and the canvas name.
    /// </summary>
    internal static OfflinePhrases LanguageOf(AgentRequest request)
    {
        var own = LinksAndEmbeds().Replace(request.Text ?? "", " ");
        if (ConceptText.ContainsCjk(own))
        {
            return OfflinePhrases.Chinese;
        }

        if (LatinWord().Count(own) >= 3)
        {
            return OfflinePhrases.English;
        }

        var group = request.GroupConcepts.Where(c => !string.IsNullOrWhiteSpace(c)).ToList();
        if (group.Count > 0)
        {
            return group.Count(ConceptText.ContainsCjk) * 2 >= group.Count ? OfflinePhrases.Chinese : OfflinePhrases.English;
        }

        var chinese = ConceptText.ContainsCjk(request.CanvasName) || request.ConnectedConcepts.Any(ConceptText.ContainsCjk);
        return chinese ? OfflinePhrases.Chinese : OfflinePhrases.English;
    }

    // Embeds show a file, addresses are not words; link texts are the learner's words and stay.
    [GeneratedRegex(@"!\[\[[^\]]*\]\]|!\[[^\]]*\]\([^)]*\)|https?://\S+")]
    private static partial Regex LinksAndEmbeds();

    [GeneratedRegex(@"\b[A-Za-z]{2,}\b")]
    private static partial Regex LatinWord();

    /// <summary>
    /// Linked nodes first (an edge is a stronger tie than sharing a group), one line each,
    /// without duplicates and without the node itself.
    /// </summary>
    private static List<string> RelatedConcepts(AgentRequest request, string title, string term)
    {
        var self = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ConceptText.OneLine(request.Text), title, term };
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return request.ConnectedConcepts.Concat(request.GroupConcepts)
            .Select(c => ConceptText.Truncate(ConceptText.OneLine(c), MaxRelatedLength))
            .Where(c => c.Length > 0 && !self.Contains(c) && seen.Add(c))
            .ToList();
    }

    private static string KnownChecklist(List<string> related, OfflinePhrases phrases) =>
        related.Count == 0
            ? "- [ ] " + phrases.KnownConceptPrompt
            : string.Join('\n', related.Select(r => "- [ ] " + r));

    // The note is quoted only when the title does not already say all of it.
    private static void AppendSourceNote(StringBuilder markdown, string text, string title, OfflinePhrases phrases)
    {
        var lines = string.IsNullOrWhiteSpace(text) ? 0 : text.Split('\n').Count(l => l.Trim().Length > 0);
        if (lines > 1 || title.EndsWith('…'))
        {
            markdown.Append("> [!quote] ").Append(phrases.SourceNoteTitle).Append('\n')
                .Append(MarkdownText.BlockQuoteLines(text)).Append("\n\n");
        }
    }
}
