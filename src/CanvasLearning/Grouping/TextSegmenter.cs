using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using JiebaNet.Segmenter;

namespace CanvasLearning.Grouping;

/// <summary>
/// Turns note text (Chinese, English or both) into topic words: Chinese runs go through jieba
/// (with HMM for unknown words and the domain terms of <c>DomainTerms.txt</c>), other runs are
/// split into lowercase words. Stopwords, punctuation, numbers and single ASCII letters are dropped.
/// </summary>
internal sealed class TextSegmenter
{
    // Above jieba's frequency for the competing splits (与否 456, 命题 1542) so a domain term
    // wins the dictionary's path search, yet far below the common function words.
    private const int DefaultTermFrequency = 2000;

    private const string DomainTermsResource = "CanvasLearning.Grouping.DomainTerms.txt";

    // Loading jieba's dictionaries takes about a second and a few hundred MB of allocations:
    // one instance per process, built on first use.
    private static readonly Lazy<TextSegmenter> s_shared = new(() => new TextSegmenter());

    // jieba.NET keeps its dictionary in one process-wide, unsynchronized structure and documents
    // no thread-safety; analysis is rare and short, so serializing Cut costs nothing noticeable.
    private readonly Lock _gate = new();
    private readonly JiebaSegmenter _jieba;
    private readonly FrozenSet<string> _stopwords;
    private readonly FrozenSet<string> _domainTerms;
    private readonly int _longestDomainTerm;

    private TextSegmenter()
    {
        _jieba = new JiebaSegmenter();
        var terms = ReadDomainTerms();
        foreach (var (term, frequency) in terms)
        {
            if (term.Length > 1)
            {
                _jieba.AddWord(term, frequency);
            }
        }

        _domainTerms = terms.Select(t => t.Term).ToFrozenSet(StringComparer.Ordinal);
        _longestDomainTerm = terms.Count == 0 ? 0 : terms.Max(t => t.Term.Length);
        _stopwords = GroupingStopwords.Load(ConfigManager.ConfigFileBaseDir);
    }

    public static TextSegmenter Shared => s_shared.Value;

    /// <summary>The topic words of <paramref name="text"/>, in order (repeats kept).</summary>
    public IReadOnlyList<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var han = IsHan(text[start]);
            var end = start + 1;
            while (end < text.Length && IsHan(text[end]) == han)
            {
                end++;
            }

            var run = text[start..end];
            if (han)
            {
                AddChinese(run, tokens);
            }
            else
            {
                AddLatin(run, tokens);
            }

            start = end;
        }

        return tokens;
    }

    /// <summary>
    /// The tokens plus the domain terms that end longer Chinese tokens, so that 稳定排序 and
    /// 快速排序 share 排序 and notes about one topic land close to each other. Only endings count:
    /// a Chinese compound names a kind of its last part (条件概率 is a 概率, not a 条件).
    /// </summary>
    public IReadOnlyList<string> FeatureTerms(string text)
    {
        var tokens = Tokenize(text);
        var features = new List<string>(tokens.Count * 2);
        foreach (var token in tokens)
        {
            features.Add(token);
            if (!IsHan(token[0]))
            {
                continue;
            }

            for (var length = Math.Min(token.Length - 1, _longestDomainTerm); length >= 1; length--)
            {
                var ending = token[^length..];
                if (_domainTerms.Contains(ending) && !_stopwords.Contains(ending))
                {
                    features.Add(ending);
                }
            }
        }

        return features;
    }

    private void AddChinese(string run, List<string> tokens)
    {
        List<string> words;
        lock (_gate)
        {
            // Cut is lazy: materialize inside the lock.
            words = _jieba.Cut(run, cutAll: false, hmm: true).ToList();
        }

        foreach (var word in words)
        {
            var trimmed = word.Trim();
            if (trimmed.Length > 0 && !_stopwords.Contains(trimmed))
            {
                tokens.Add(trimmed);
            }
        }
    }

    private void AddLatin(string run, List<string> tokens)
    {
        var word = new StringBuilder();
        for (var i = 0; i <= run.Length; i++)
        {
            if (i < run.Length && char.IsLetterOrDigit(run[i]))
            {
                word.Append(char.ToLowerInvariant(run[i]));
                continue;
            }

            if (word.Length > 0)
            {
                var candidate = word.ToString();
                word.Clear();
                if (IsTopicWord(candidate))
                {
                    tokens.Add(candidate);
                }
            }
        }
    }

    private bool IsTopicWord(string word) =>
        !(word.Length == 1 && char.IsAscii(word[0]))
        && !word.All(char.IsDigit)
        && !_stopwords.Contains(word);

    private static bool IsHan(char c) =>
        c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF');

    private static List<(string Term, int Frequency)> ReadDomainTerms()
    {
        using var stream = typeof(TextSegmenter).Assembly.GetManifestResourceStream(DomainTermsResource)
            ?? throw new InvalidOperationException($"Embedded resource {DomainTermsResource} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var terms = new List<(string, int)>();
        while (reader.ReadLine() is { } line)
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            var parts = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var frequency = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var f)
                ? f
                : DefaultTermFrequency;
            terms.Add((parts[0], frequency));
        }

        return terms;
    }
}
