using System.Text.RegularExpressions;

namespace CanvasLearning.Agents.Offline;

/// <summary>
/// Finds the things a comparison question compares: "BFS vs DFS", "快速排序和归并排序的区别",
/// "对比A和B", "A 与 B 对比", "difference between A and B".
/// </summary>
internal static partial class ComparisonItems
{
    // More columns than this no longer fit a readable table.
    private const int MaxItems = 6;
    private const int MaxItemLength = 60;

    // Conjunctions that join two compared items, in the order to prefer on a tie.
    private static readonly string[] Conjunctions = ["和", "以及", "与", "跟", "及", "同", "或"];

    /// <summary>The compared items, or an empty list when the title is not a comparison.</summary>
    public static IReadOnlyList<string> Extract(string title)
    {
        var text = ConceptText.TrimPunctuation(title);
        if (text.Length == 0)
        {
            return [];
        }

        var versus = Versus().Split(text);
        if (versus.Length >= 2)
        {
            versus[^1] = DifferenceSuffix().Replace(versus[^1], string.Empty);
            return Clean(versus);
        }

        var english = EnglishComparison().Match(text);
        if (english.Success)
        {
            return Clean([english.Groups["a"].Value, english.Groups["b"].Value]);
        }

        var prefixed = ChineseComparePrefix().Match(text);
        if (prefixed.Success)
        {
            var rest = DifferenceSuffix().Replace(prefixed.Groups["rest"].Value, string.Empty);
            return Clean(SplitList(rest));
        }

        var suffixed = ChineseCompareSuffix().Match(text);
        return suffixed.Success ? Clean(SplitList(suffixed.Groups["rest"].Value)) : [];
    }

    // "A、B和C" lists with 、 and joins the last pair with a conjunction.
    private static IEnumerable<string> SplitList(string text)
    {
        var parts = text.Split('、', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return [];
        }

        return parts[..^1].Concat(SplitPair(parts[^1]));
    }

    /// <summary>
    /// Splits "A和B" at the conjunction that leaves the longer shorter side, so a conjunction
    /// inside a term loses: "饱和与不饱和" splits at 与, "参与者和旁观者" at 和.
    /// </summary>
    private static string[] SplitPair(string text)
    {
        var spaced = SpacedConjunction().Split(text);
        if (spaced.Length == 2 && spaced.All(p => p.Trim().Length > 0))
        {
            return spaced;
        }

        string[] best = [text];
        var bestShorterSide = 0;
        foreach (var conjunction in Conjunctions)
        {
            for (var at = text.IndexOf(conjunction, StringComparison.Ordinal); at >= 0;
                 at = text.IndexOf(conjunction, at + 1, StringComparison.Ordinal))
            {
                var left = text[..at].Trim();
                var right = text[(at + conjunction.Length)..].Trim();
                var shorterSide = Math.Min(left.Length, right.Length);
                if (shorterSide > bestShorterSide)
                {
                    best = [left, right];
                    bestShorterSide = shorterSide;
                }
            }
        }

        return best;
    }

    private static List<string> Clean(IEnumerable<string> items)
    {
        var cleaned = items
            .Select(i => ConceptText.Truncate(ConceptText.TrimPunctuation(ConceptText.OneLine(i)), MaxItemLength))
            .Where(i => i.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(MaxItems)
            .ToList();
        return cleaned.Count >= 2 ? cleaned : [];
    }

    // "vs", "vs." and "versus" as words, spaced or not ("逆否命题vs否命题").
    [GeneratedRegex(@"\s*(?<![A-Za-z])(?:vs\.?|versus)(?![A-Za-z])\s*", RegexOptions.IgnoreCase)]
    private static partial Regex Versus();

    [GeneratedRegex(@"\s*(?:之间)?(?:的|有什么|有何|有哪些|有啥)?(?:区别|不同|差异|异同|对比|比较)(?:是什么|在哪里|在哪)?$|\s*[:：-]?\s*(?:differences?|comparison)$", RegexOptions.IgnoreCase)]
    private static partial Regex DifferenceSuffix();

    [GeneratedRegex(@"^(?:请)?(?:对比|比较|区分|辨析)(?:一下)?\s*(?<rest>.+)$")]
    private static partial Regex ChineseComparePrefix();

    [GeneratedRegex(@"^(?<rest>.+?)\s*(?:之间)?(?:的|有什么|有何|有哪些|有啥)?\s*(?:区别|不同|差异|异同|对比|比较|辨析)(?:是什么|在哪里|在哪)?$")]
    private static partial Regex ChineseCompareSuffix();

    [GeneratedRegex(@"^(?:(?:what(?:'s| is| are)\s+)?(?:the\s+)?differences?\s+between|compare|comparing)\s+(?<a>.+?)\s+(?:and|with|to)\s+(?<b>.+)$|^(?<a>.+?)\s+compared\s+(?:to|with)\s+(?<b>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex EnglishComparison();

    [GeneratedRegex(@"\s+(?:和|以及|与|跟|及|同|或|and|&)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex SpacedConjunction();
}
