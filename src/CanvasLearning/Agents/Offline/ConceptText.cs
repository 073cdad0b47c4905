using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CanvasLearning.Agents.Offline;

/// <summary>
/// Turns a canvas node's free-form text into the short strings a scaffold is built from:
/// a one-line title, the bare term being asked about, and the learner's language.
/// </summary>
internal static partial class ConceptText
{
    // Long enough for a real question, short enough for a heading or a table header.
    private const int MaxTitleLength = 120;

    // Brackets, parentheses and "*" are left alone: trimming one end of "f(x)" or "A*" would mangle it.
    private static readonly char[] EdgePunctuation =
        "?？.。!！:：;；,，、 \t\"'“”‘’「」『』《》【】`".ToCharArray();

    private static readonly char[] LeadingPunctuation = [.. EdgePunctuation.Where(c => c != '.')];

    /// <summary>True when the text contains a Han ideograph: the learner writes Chinese.</summary>
    public static bool ContainsCjk(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (var rune in text.EnumerateRunes())
        {
            var v = rune.Value;
            if (v is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF)
                or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x2FA1F))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The first non-empty line without Markdown decoration (heading marks, list markers,
    /// bold), so a node written as "## **什么是X？**" still yields a clean title.
    /// </summary>
    public static string Title(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var firstLine = text.Split('\n').Select(l => l.Trim()).First(l => l.Length > 0);
        var line = LineDecoration().Replace(firstLine, string.Empty);
        line = line.Replace("**", string.Empty, StringComparison.Ordinal)
            .Replace("__", string.Empty, StringComparison.Ordinal);
        return Truncate(OneLine(line), MaxTitleLength);
    }

    /// <summary>
    /// The term a question is about: "什么是充分条件？" → "充分条件",
    /// "What is a spanning tree?" → "spanning tree". Other titles are returned as they are.
    /// </summary>
    public static string Term(string title)
    {
        var trimmed = TrimPunctuation(title);
        foreach (var pattern in new[] { ChineseQuestionPrefix(), ChineseQuestionSuffix(), EnglishQuestion() })
        {
            var match = pattern.Match(trimmed);
            if (match.Success)
            {
                var term = TrimPunctuation(match.Groups["t"].Value);
                if (term.Length > 0)
                {
                    return term;
                }
            }
        }

        return trimmed;
    }

    /// <summary>Collapses all whitespace, newlines included, into single spaces.</summary>
    public static string OneLine(string? text) =>
        string.IsNullOrWhiteSpace(text) ? string.Empty : Whitespace().Replace(text, " ").Trim();

    public static string Truncate(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        // Cut on a text-element boundary so a surrogate pair or combining mark is never split.
        var cut = new StringBuilder();
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext() && cut.Length + elements.GetTextElement().Length < maxLength)
        {
            cut.Append(elements.GetTextElement());
        }

        return cut.ToString().TrimEnd() + "…";
    }

    /// <summary>
    /// Strips surrounding quotes and sentence punctuation, in both scripts. A leading "." is
    /// kept: it belongs to names such as ".NET".
    /// </summary>
    public static string TrimPunctuation(string text) =>
        text.Trim().TrimEnd(EdgePunctuation).TrimStart(LeadingPunctuation).Trim();

    // Heading marks, list bullets, numbered items, task boxes and quote marks at line start.
    [GeneratedRegex(@"^(?:#{1,6}\s+|>\s*|[-*+]\s+(?:\[[ xX]\]\s+)?|\d+[.)]\s+)+")]
    private static partial Regex LineDecoration();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^(?:请问|请)?(?:什么(?:是|叫做|叫)|如何理解|怎么理解|怎样理解|解释一下|解释|定义)\s*(?<t>.+)$")]
    private static partial Regex ChineseQuestionPrefix();

    [GeneratedRegex(@"^(?<t>.+?)\s*(?:到底)?(?:是什么意思|是什么|是啥|指什么|什么意思|的定义是什么|的定义|的含义|的意思)$")]
    private static partial Regex ChineseQuestionSuffix();

    [GeneratedRegex(@"^(?:what\s+(?:is|are)|what's|whats|define|definition\s+of|explain|meaning\s+of)\s+(?:an?\s+|the\s+)?(?<t>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex EnglishQuestion();
}
