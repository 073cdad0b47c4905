using System.Text.RegularExpressions;

namespace CanvasLearning.Grouping;

/// <summary>Which marked nodes hold a concept to explain: an empty card or one that only shows an image has none.</summary>
public static partial class ConceptSelection
{
    public const string EmptyText = "empty_text";
    public const string EmbedOnly = "embed_only";

    /// <summary>Why the node is not sent to an agent, or null when it has words to explain.</summary>
    public static SkippedNode? Skip(string nodeId, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new SkippedNode(nodeId, EmptyText, "the card has no text; write the concept on it, then run again", null);
        }

        var withoutEmbeds = Embed().Replace(text, " ");
        if (Words().IsMatch(withoutEmbeds))
        {
            return null;
        }

        return withoutEmbeds.Length != text.Length
            ? new SkippedNode(nodeId, EmbedOnly, "the card only embeds a file or image; write the concept as text on it, then run again", null)
            : new SkippedNode(nodeId, EmptyText, "the card has no words, only markup; write the concept on it, then run again", null);
    }

    // ![[file.png]], ![[note#heading|alias]], ![alt](url): what Obsidian shows instead of text.
    [GeneratedRegex(@"!\[\[[^\]]*\]\]|!\[[^\]]*\]\([^)]*\)")]
    private static partial Regex Embed();

    [GeneratedRegex(@"[\p{L}\p{N}]")]
    private static partial Regex Words();
}
