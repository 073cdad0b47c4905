using System.Text;
using System.Text.RegularExpressions;
using CanvasLearning.Agents.Offline;

namespace CanvasLearning.Agents.OpenAi;

/// <summary>Wraps a model's answer into the note the vault keeps: front matter, title, the answer.</summary>
internal static partial class OpenAiNote
{
    /// <summary>
    /// The answer without what the prompt asked the model to leave out but models still add: a code
    /// fence around everything, a level-1 title of its own.
    /// </summary>
    public static string CleanBody(string? text)
    {
        var body = (text ?? string.Empty).ReplaceLineEndings("\n").Trim();
        if (body.StartsWith("```", StringComparison.Ordinal) && body.EndsWith("```", StringComparison.Ordinal) && body.Length > 6)
        {
            var firstLineEnd = body.IndexOf('\n', StringComparison.Ordinal);
            body = firstLineEnd < 0 ? string.Empty : body[(firstLineEnd + 1)..^3].Trim();
        }

        if (body.StartsWith("# ", StringComparison.Ordinal))
        {
            var firstLineEnd = body.IndexOf('\n', StringComparison.Ordinal);
            body = firstLineEnd < 0 ? string.Empty : body[(firstLineEnd + 1)..].Trim();
        }

        // The note lands in the learner's vault, where Obsidian renders HTML: no active or embedded content from a model.
        return ActiveHtml().Replace(body, string.Empty).Trim();
    }

    [GeneratedRegex(@"<(script|iframe|object|embed|style)\b[^>]*>(.*?</\1\s*>)?", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ActiveHtml();

    public static string Compose(AgentRequest request, OfflinePhrases language, string model, string body)
    {
        var title = ConceptText.Title(request.Text) is { Length: > 0 } t ? t : language.UntitledConcept;
        return MarkdownText.AppendFrontMatter(new StringBuilder(), "canvas-learning openai agent", request, title, language.Code, MarkdownText.YamlString(model))
            .Append("# ").Append(title).Append("\n\n")
            .Append(body).Append('\n')
            .ToString();
    }
}
