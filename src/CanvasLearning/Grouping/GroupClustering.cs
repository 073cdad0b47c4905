namespace CanvasLearning.Grouping;

/// <summary>Picks the number of groups and applies the minimum group size.</summary>
internal static class GroupClustering
{
    // Beyond ten groups a learner stops reading the proposal; below two nodes per group on
    // average the groups say nothing.
    private const int MaxAutomaticK = 10;

    /// <summary>
    /// Silhouette picks k in 2..max(2, min(10, n/2)) (never more than n-1 or the number of distinct
    /// texts); ties go to the smaller k. With <paramref name="maxGroups"/> set, k = min(maxGroups, n)
    /// is used instead, but the silhouette's choice is still reported as the recommended k.
    /// </summary>
    public static (int[] Labels, int RecommendedK) Choose(TfIdfModel model, int? maxGroups)
    {
        var points = model.Vectors;
        var dimensions = model.Vocabulary.Count;
        var n = points.Count;
        var distinct = SphericalKMeans.DistinctCount(points);
        var upper = Math.Min(Math.Min(n - 1, distinct), Math.Max(2, Math.Min(MaxAutomaticK, n / 2)));

        var recommended = SphericalKMeans.Cluster(points, dimensions, 1);
        var bestScore = double.NegativeInfinity;
        for (var k = 2; k <= upper; k++)
        {
            var candidate = SphericalKMeans.Cluster(points, dimensions, k);
            var score = Silhouette.Score(points, dimensions, candidate.Labels);
            if (score > bestScore + 1e-9)
            {
                (recommended, bestScore) = (candidate, score);
            }
        }

        if (maxGroups is not { } forced)
        {
            return (recommended.Labels, recommended.K);
        }

        var forcedK = Math.Clamp(Math.Min(forced, Math.Min(n, distinct)), 1, Math.Max(1, n));
        var chosen = forcedK == recommended.K ? recommended : SphericalKMeans.Cluster(points, dimensions, forcedK);
        return (chosen.Labels, recommended.K);
    }

    /// <summary>
    /// While some group is smaller than <paramref name="minNodesPerGroup"/> and more than one group
    /// exists, the smallest group (first one on a tie) joins the group whose centroid is most
    /// similar (then the larger, then the first).
    /// </summary>
    public static int[] MergeSmallGroups(TfIdfModel model, int[] labels, int minNodesPerGroup)
    {
        var points = model.Vectors;
        var dimensions = model.Vocabulary.Count;
        var current = SphericalKMeans.Renumber(labels);
        while (current.Length > 0)
        {
            var k = current.Max() + 1;
            var sizes = new int[k];
            foreach (var label in current)
            {
                sizes[label]++;
            }

            var smallest = Array.IndexOf(sizes, sizes.Min());
            if (k <= 1 || sizes[smallest] >= minNodesPerGroup)
            {
                break;
            }

            var centroids = SphericalKMeans.Centroids(points, dimensions, current, k);
            var target = -1;
            var bestSimilarity = double.NegativeInfinity;
            for (var c = 0; c < k; c++)
            {
                if (c == smallest)
                {
                    continue;
                }

                var similarity = Dot(centroids[smallest], centroids[c]);
                var better = similarity > bestSimilarity + 1e-12
                    || (Math.Abs(similarity - bestSimilarity) <= 1e-12 && sizes[c] > sizes[target]);
                if (better)
                {
                    (target, bestSimilarity) = (c, similarity);
                }
            }

            for (var i = 0; i < current.Length; i++)
            {
                if (current[i] == smallest)
                {
                    current[i] = target;
                }
            }

            current = SphericalKMeans.Renumber(current);
        }

        return current;
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
