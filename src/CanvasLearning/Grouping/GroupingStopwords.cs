using System.Collections.Frozen;

namespace CanvasLearning.Grouping;

/// <summary>Words that say nothing about a note's topic, so clustering ignores them.</summary>
internal static class GroupingStopwords
{
    // Common English function words; jieba's stopwords.txt covers more when it is present.
    private static readonly string[] s_english =
    [
        "a", "an", "the", "and", "or", "but", "if", "then", "else", "of", "in", "on", "at", "to",
        "for", "from", "by", "with", "without", "into", "onto", "about", "as", "is", "are", "was",
        "were", "be", "been", "being", "am", "do", "does", "did", "doing", "done", "have", "has",
        "had", "it", "its", "this", "that", "these", "those", "there", "here", "i", "me", "my", "we",
        "our", "you", "your", "he", "she", "they", "them", "their", "not", "no", "can", "could",
        "should", "would", "will", "shall", "may", "might", "must", "so", "than", "too", "very",
        "just", "also", "only", "when", "where", "which", "who", "whom", "whose", "while", "all",
        "any", "each", "both", "more", "most", "some", "such", "same", "other", "one", "two",
        "use", "used", "using", "get", "make", "s", "t", "don", "doesn", "isn", "aren",
    ];

    // The words that pick an explanation agent ("A vs B", "what is X", 区别, 什么是) matter for
    // routing, not for the topic: two comparisons of unrelated things must not cluster together.
    private static readonly string[] s_routing =
    [
        "vs", "versus", "difference", "differences", "differ", "between", "compare", "compared",
        "comparison", "what", "define", "defined", "definition", "meaning", "mean", "means",
        "remember", "mnemonic", "memorize", "memorise", "example", "examples", "how", "apply",
        "applying", "application", "why", "confused", "confusing", "understand", "prove", "proof",
        "derive", "derivation", "mechanism", "explain", "explanation", "work", "works",
        "区别", "对比", "比较", "异同", "不同", "什么", "什么是", "是什么", "是", "定义", "含义", "意思",
        "记住", "记忆", "口诀", "例子", "举例", "例题", "应用", "怎么", "怎么用", "如何", "怎样",
        "为什么", "不懂", "困惑", "混淆", "搞不清", "理解", "证明", "推导", "原理", "机制", "解释",
        "的", "了", "和", "与", "及", "或", "有", "在", "吗", "呢", "啊", "呀", "之间", "一个", "哪些", "哪个",
    ];

    /// <summary>The built-in lists plus jieba's <c>stopwords.txt</c> from <paramref name="jiebaResources"/> when present.</summary>
    public static FrozenSet<string> Load(string jiebaResources)
    {
        var words = new HashSet<string>(s_english, StringComparer.Ordinal);
        words.UnionWith(s_routing);
        var file = Path.Combine(jiebaResources, "stopwords.txt");
        if (File.Exists(file))
        {
            // The file starts with a BOM and uses CRLF; File.ReadLines handles both.
            foreach (var line in File.ReadLines(file))
            {
                var word = line.Trim();
                if (word.Length > 0)
                {
                    words.Add(word.ToLowerInvariant());
                }
            }
        }

        return words.ToFrozenSet(StringComparer.Ordinal);
    }
}
