using CanvasLearning.Grouping;

namespace CanvasLearning.Tests.Grouping;

public sealed class TfIdfTests
{
    private static TfIdfModel Fit(params string[] documents) =>
        TfIdfModel.Fit(documents.Select(d => (IReadOnlyList<string>)d.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray());

    [Fact]
    public void Vocabulary_is_sorted_ordinally()
    {
        var model = Fit("排序 b", "a 命题", "B");

        Assert.Equal(["B", "a", "b", "命题", "排序"], model.Vocabulary);
    }

    [Fact]
    public void Vectors_have_unit_length()
    {
        var model = Fit("graph tree tree", "graph sort", "sort sort merge quick");

        foreach (var vector in model.Vectors)
        {
            Assert.Equal(1.0, vector.Dot(vector), 10);
        }
    }

    [Fact]
    public void A_term_found_everywhere_weighs_less_than_a_rare_one()
    {
        var model = Fit("common rare", "common other", "common third");
        var first = model.Vectors[0];
        var weights = Enumerable.Range(0, first.Indices.Length)
            .ToDictionary(i => model.Vocabulary[first.Indices[i]], i => first.Values[i]);

        Assert.True(weights["rare"] > weights["common"]);
    }

    [Fact]
    public void Documents_sharing_terms_are_more_similar_than_unrelated_ones()
    {
        var model = Fit("graph tree", "graph path", "sort merge");

        Assert.True(model.Vectors[0].Dot(model.Vectors[1]) > 0);
        Assert.Equal(0, model.Vectors[0].Dot(model.Vectors[2]));
    }

    [Fact]
    public void A_document_without_terms_is_the_zero_vector()
    {
        var model = Fit("graph", "");

        Assert.True(model.Vectors[1].IsZero);
    }
}
