using CanvasLearning.Grouping;

namespace CanvasLearning.Tests.Grouping;

public sealed class ClusteringTests
{
    // Three obvious topics, four short documents each: two shared words per topic, one of their own.
    private static readonly string[] s_threeTopics =
    [
        "graph vertex edge", "graph vertex tree", "graph vertex path", "graph vertex cycle",
        "sort pivot quicksort", "sort pivot mergesort", "sort pivot stable", "sort pivot heap",
        "probability event bayes", "probability event prior", "probability event independent", "probability event variance",
    ];

    private static TfIdfModel Fit(IEnumerable<string> documents) =>
        TfIdfModel.Fit(documents.Select(d => (IReadOnlyList<string>)d.Split(' ')).ToArray());

    [Fact]
    public void Silhouette_picks_three_groups_for_three_obvious_topics()
    {
        var model = Fit(s_threeTopics);

        var (labels, recommendedK) = GroupClustering.Choose(model, maxGroups: null);

        Assert.Equal(3, recommendedK);
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], labels);
    }

    [Fact]
    public void Forced_group_count_is_used_but_the_silhouette_choice_is_still_reported()
    {
        var model = Fit(s_threeTopics);

        var (labels, recommendedK) = GroupClustering.Choose(model, maxGroups: 2);

        Assert.Equal(3, recommendedK);
        Assert.Equal(2, labels.Distinct().Count());
    }

    [Fact]
    public void The_right_partition_scores_a_higher_silhouette_than_a_shuffled_one()
    {
        var model = Fit(s_threeTopics);
        int[] right = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
        int[] wrong = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2];

        var good = Silhouette.Score(model.Vectors, model.Vocabulary.Count, right);
        var bad = Silhouette.Score(model.Vectors, model.Vocabulary.Count, wrong);

        Assert.InRange(good, 0.2, 1.0);
        Assert.True(good > bad);
    }

    [Fact]
    public void Silhouette_of_a_single_group_is_zero()
    {
        var model = Fit(s_threeTopics);

        Assert.Equal(0, Silhouette.Score(model.Vectors, model.Vocabulary.Count, new int[12]));
    }

    [Fact]
    public void K_means_gives_the_same_clusters_every_time()
    {
        var model = Fit(s_threeTopics);

        var first = SphericalKMeans.Cluster(model.Vectors, model.Vocabulary.Count, 4);
        var second = SphericalKMeans.Cluster(model.Vectors, model.Vocabulary.Count, 4);

        Assert.Equal(first.Labels, second.Labels);
        Assert.Equal(first.Inertia, second.Inertia);
    }

    [Fact]
    public void Identical_documents_are_not_split()
    {
        var model = Fit(Enumerable.Repeat("sort pivot", 6));

        var (labels, recommendedK) = GroupClustering.Choose(model, maxGroups: 3);

        Assert.Equal(1, recommendedK);
        Assert.All(labels, label => Assert.Equal(0, label));
    }

    [Fact]
    public void A_group_below_the_minimum_joins_the_most_similar_group()
    {
        var model = Fit(["graph tree", "graph path", "sort pivot", "sort merge", "graph"]);
        int[] labels = [0, 0, 1, 1, 2];

        var merged = GroupClustering.MergeSmallGroups(model, labels, minNodesPerGroup: 2);

        Assert.Equal([0, 0, 1, 1, 0], merged);
    }

    [Fact]
    public void Merging_stops_at_one_group()
    {
        var model = Fit(["graph", "sort", "bayes"]);

        var merged = GroupClustering.MergeSmallGroups(model, [0, 1, 2], minNodesPerGroup: 5);

        Assert.Equal([0, 0, 0], merged);
    }
}
