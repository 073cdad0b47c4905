namespace CanvasLearning.Grouping;

/// <summary>
/// k-means with cosine distance (1 - dot) on unit vectors: centroids are re-normalized means.
/// Deterministic: k-means++ seeding from <c>new Random(42)</c>, fixed restarts, ties to the lower index.
/// </summary>
internal static class SphericalKMeans
{
    private const int Seed = 42;
    // Short notes give sparse, nearly orthogonal vectors and many local optima; 20 seeded runs
    // keep the result stable while 1000 notes still analyze in a few seconds.
    private const int Restarts = 20;
    private const int MaxIterations = 100;

    /// <summary>Labels 0..k-1 numbered by first appearance; clusters that end empty are dropped.</summary>
    public static KMeansResult Cluster(IReadOnlyList<SparseVector> points, int dimensions, int k)
    {
        var n = points.Count;
        if (k <= 1 || n <= 1)
        {
            return new KMeansResult(new int[n], n == 0 ? 0 : 1, Inertia(points, dimensions, new int[n], 1));
        }

        // A fresh generator per call: clustering with a given k does not depend on which other
        // k were tried before, so a forced max_groups matches the silhouette scan.
        var random = new Random(Seed);
        KMeansResult? best = null;
        for (var restart = 0; restart < Restarts; restart++)
        {
            var labels = Lloyd(points, dimensions, Seeds(points, k, random));
            var candidate = new KMeansResult(labels, labels.Max() + 1, Inertia(points, dimensions, labels, k));
            if (best is null || candidate.Inertia < best.Inertia - 1e-12)
            {
                best = candidate;
            }
        }

        return best!;
    }

    /// <summary>Number of different vectors: more clusters than this cannot be told apart.</summary>
    public static int DistinctCount(IReadOnlyList<SparseVector> points)
    {
        var distinct = new List<SparseVector>();
        foreach (var point in points)
        {
            if (!distinct.Exists(d => d.SameAs(point)))
            {
                distinct.Add(point);
            }
        }

        return distinct.Count;
    }

    /// <summary>Sum over points of (1 - cosine to their cluster's normalized centroid).</summary>
    public static double Inertia(IReadOnlyList<SparseVector> points, int dimensions, int[] labels, int k)
    {
        var centroids = Centroids(points, dimensions, labels, k);
        var inertia = 0.0;
        for (var i = 0; i < points.Count; i++)
        {
            inertia += 1 - points[i].Dot(centroids[labels[i]]);
        }

        return inertia;
    }

    /// <summary>Unit-length mean of each cluster (the zero vector for an empty or all-zero cluster).</summary>
    public static double[][] Centroids(IReadOnlyList<SparseVector> points, int dimensions, int[] labels, int k)
    {
        var centroids = new double[k][];
        for (var c = 0; c < k; c++)
        {
            centroids[c] = new double[dimensions];
        }

        for (var i = 0; i < points.Count; i++)
        {
            points[i].AddTo(centroids[labels[i]]);
        }

        foreach (var centroid in centroids)
        {
            var norm = Math.Sqrt(centroid.Sum(v => v * v));
            if (norm > 0)
            {
                for (var d = 0; d < centroid.Length; d++)
                {
                    centroid[d] /= norm;
                }
            }
        }

        return centroids;
    }

    // k-means++: the first seed uniformly, each next one with probability proportional to its
    // squared distance to the nearest seed so far.
    private static List<int> Seeds(IReadOnlyList<SparseVector> points, int k, Random random)
    {
        var seeds = new List<int> { random.Next(points.Count) };
        var nearest = new double[points.Count];
        while (seeds.Count < k)
        {
            var total = 0.0;
            for (var i = 0; i < points.Count; i++)
            {
                var distance = Math.Max(0, 1 - seeds.Max(s => points[i].Dot(points[s])));
                nearest[i] = distance * distance;
                total += nearest[i];
            }

            if (total <= 1e-12)
            {
                break; // every point already sits on a seed
            }

            var target = random.NextDouble() * total;
            var chosen = points.Count - 1;
            for (var i = 0; i < points.Count; i++)
            {
                target -= nearest[i];
                if (target < 0 && nearest[i] > 0)
                {
                    chosen = i;
                    break;
                }
            }

            seeds.Add(chosen);
        }

        return seeds;
    }

    private static int[] Lloyd(IReadOnlyList<SparseVector> points, int dimensions, List<int> seeds)
    {
        var k = seeds.Count;
        var centroids = new double[k][];
        for (var c = 0; c < k; c++)
        {
            centroids[c] = new double[dimensions];
            points[seeds[c]].AddTo(centroids[c]);
        }

        var labels = new int[points.Count];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var changed = false;
            for (var i = 0; i < points.Count; i++)
            {
                var label = Nearest(points[i], centroids);
                changed |= iteration == 0 || label != labels[i];
                labels[i] = label;
            }

            if (!changed)
            {
                break;
            }

            centroids = Centroids(points, dimensions, labels, k);
        }

        return Renumber(labels);
    }

    private static int Nearest(SparseVector point, double[][] centroids)
    {
        var best = 0;
        var bestSimilarity = double.NegativeInfinity;
        for (var c = 0; c < centroids.Length; c++)
        {
            var similarity = point.Dot(centroids[c]);
            if (similarity > bestSimilarity + 1e-12)
            {
                (best, bestSimilarity) = (c, similarity);
            }
        }

        return best;
    }

    /// <summary>Relabels clusters 0, 1, 2, ... in order of their first point; empty clusters vanish.</summary>
    public static int[] Renumber(int[] labels)
    {
        var map = new Dictionary<int, int>();
        var renumbered = new int[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            if (!map.TryGetValue(labels[i], out var label))
            {
                label = map.Count;
                map[labels[i]] = label;
            }

            renumbered[i] = label;
        }

        return renumbered;
    }
}

/// <param name="Labels">Cluster of each point, numbered by first appearance.</param>
/// <param name="K">Number of non-empty clusters.</param>
internal sealed record KMeansResult(int[] Labels, int K, double Inertia);
