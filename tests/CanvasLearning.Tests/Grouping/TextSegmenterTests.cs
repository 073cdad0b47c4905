using CanvasLearning.Grouping;

namespace CanvasLearning.Tests.Grouping;

public sealed class TextSegmenterTests
{
    private static TextSegmenter Segmenter => TextSegmenter.Shared;

    [Fact]
    public void Contrapositive_stays_one_token_and_inverse_is_not_split_after_yu()
    {
        var tokens = Segmenter.Tokenize("逆否命题与否命题的区别");

        Assert.Equal(["逆否命题", "否命题"], tokens);
    }

    [Fact]
    public void What_is_question_keeps_only_the_concept() =>
        Assert.Equal(["充分条件"], Segmenter.Tokenize("什么是充分条件？"));

    [Fact]
    public void Domain_terms_from_the_user_dictionary_are_single_tokens()
    {
        Assert.Equal(["交集", "并集"], Segmenter.Tokenize("交集与并集"));
        Assert.Equal(["快速排序", "归并排序"], Segmenter.Tokenize("快速排序vs归并排序"));
        Assert.Contains("全称量词", Segmenter.Tokenize("全称量词命题的否定"));
    }

    [Fact]
    public void English_is_lowercased_without_stopwords_numbers_or_single_letters() =>
        Assert.Equal(
            ["bfs", "dfs", "graphs", "tree"],
            Segmenter.Tokenize("What is the Difference between BFS and DFS on 2 graphs, e.g. a tree?"));

    [Fact]
    public void Mixed_text_keeps_both_languages_in_order() =>
        Assert.Equal(
            ["quicksort", "worst", "case", "快速排序", "最坏"],
            Segmenter.Tokenize("Quicksort worst case: 为什么快速排序最坏是 O(n²)?"));

    [Fact]
    public void Routing_words_are_not_topic_words()
    {
        Assert.Empty(Segmenter.Tokenize("什么是？为什么？有什么区别？怎么用？"));
        Assert.Empty(Segmenter.Tokenize("what is the difference, vs. versus, compare, why, example"));
    }

    [Fact]
    public void Feature_terms_add_the_domain_term_a_compound_ends_with()
    {
        Assert.Equal(["稳定排序", "排序"], Segmenter.FeatureTerms("稳定排序"));
        Assert.Equal(["逆否命题", "否命题", "命题"], Segmenter.FeatureTerms("逆否命题"));
    }

    [Fact]
    public void Feature_terms_ignore_a_compound_beginning()
    {
        var features = Segmenter.FeatureTerms("条件概率");

        Assert.Contains("概率", features);
        Assert.DoesNotContain("条件", features);
    }

    [Fact]
    public void Segmenting_in_parallel_gives_the_sequential_result()
    {
        string[] texts = ["逆否命题与否命题的区别", "什么是稳定排序", "BFS vs DFS：图的广度优先搜索", "贝叶斯公式怎么用"];
        var expected = texts.Select(t => string.Join('/', Segmenter.Tokenize(t))).ToArray();

        var results = new string[200];
        Parallel.For(0, results.Length, i => results[i] = string.Join('/', Segmenter.Tokenize(texts[i % texts.Length])));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(expected[i % texts.Length], results[i]);
        }
    }
}
