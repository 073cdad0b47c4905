namespace CanvasLearning.Grouping;

/// <summary>Mean silhouette coefficient with cosine distance (1 - dot) on unit vectors.</summary>
internal static class Silhouette
{
    /// <summary>
    /// In [-1, 1]; 0 when there are fewer than two clusters. A point alone in its cluster scores 0
    /// (the usual convention).
    /// </summary>
    public static double Score(IReadOnlyList<SparseVector> points, int dimensions, int[] labels)
    {
        var k = labels.Length == 0 ? 0 : labels.Max() + 1;
        var sizes = new int[k];
        var sums = new double[k][];
        for (var c = 0; c < k; c++)
        {
            sums[c] = new double[dimensions];
        }

        for (var i = 0; i < points.Count; i++)
        {
            sizes[labels[i]]++;
            points[i].AddTo(sums[labels[i]]);
        }

        if (sizes.Count(s => s > 0) < 2)
        {
            return 0;
        }

        // The mean distance from x to the members of C is 1 - x·(sum of C)/|C| (minus x itself
        // in its own cluster): O(n·k) dot products instead of O(n²).
        var total = 0.0;
        for (var i = 0; i < points.Count; i++)
        {
            var own = labels[i];
            if (sizes[own] == 1)
            {
                continue;
            }

            var self = points[i].Dot(points[i]);
            var a = Math.Max(0, 1 - (points[i].Dot(sums[own]) - self) / (sizes[own] - 1));
            var b = double.PositiveInfinity;
            for (var c = 0; c < k; c++)
            {
                if (c != own && sizes[c] > 0)
                {
                    b = Math.Min(b, Math.Max(0, 1 - points[i].Dot(sums[c]) / sizes[c]));
                }
            }

            var scale = Math.Max(a, b);
            total += scale > 0 ? (b - a) / scale : 0;
        }

        return total / points.Count;
    }
}
