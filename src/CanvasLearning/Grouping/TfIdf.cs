namespace CanvasLearning.Grouping;

/// <summary>A sparse vector: indices ascending, no zero values.</summary>
internal sealed class SparseVector(int[] indices, double[] values)
{
    public static SparseVector Empty { get; } = new([], []);

    public ReadOnlySpan<int> Indices => indices;

    public ReadOnlySpan<double> Values => values;

    public bool IsZero => indices.Length == 0;

    public double Dot(double[] dense)
    {
        var sum = 0.0;
        for (var i = 0; i < indices.Length; i++)
        {
            sum += values[i] * dense[indices[i]];
        }

        return sum;
    }

    public double Dot(SparseVector other)
    {
        var otherIndices = other.Indices;
        var otherValues = other.Values;
        double sum = 0;
        int i = 0, j = 0;
        while (i < indices.Length && j < otherIndices.Length)
        {
            var (a, b) = (indices[i], otherIndices[j]);
            if (a == b)
            {
                sum += values[i++] * otherValues[j++];
            }
            else if (a < b)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return sum;
    }

    /// <summary>Adds <c>weight</c> times this vector to <paramref name="dense"/>.</summary>
    public void AddTo(double[] dense, double weight = 1)
    {
        for (var i = 0; i < indices.Length; i++)
        {
            dense[indices[i]] += weight * values[i];
        }
    }

    public bool SameAs(SparseVector other) =>
        indices.AsSpan().SequenceEqual(other.Indices) && values.AsSpan().SequenceEqual(other.Values);
}

/// <summary>TF-IDF document vectors, L2-normalized, over a vocabulary sorted ordinally.</summary>
internal sealed class TfIdfModel
{
    private TfIdfModel(IReadOnlyList<string> vocabulary, IReadOnlyList<SparseVector> vectors)
    {
        Vocabulary = vocabulary;
        Vectors = vectors;
    }

    /// <summary>Every term seen, in ordinal order; a vector index is a position here.</summary>
    public IReadOnlyList<string> Vocabulary { get; }

    /// <summary>One unit vector per document (the zero vector for a document with no terms).</summary>
    public IReadOnlyList<SparseVector> Vectors { get; }

    /// <summary>
    /// tf is the raw count; idf = ln((1 + n) / (1 + df)) + 1, the smoothed form, so a term found
    /// in every document still counts a little and no division by zero can happen.
    /// </summary>
    public static TfIdfModel Fit(IReadOnlyList<IReadOnlyList<string>> documents)
    {
        // Sorting the vocabulary makes indices, and so every later float sum, independent of
        // hash ordering.
        var vocabulary = documents.SelectMany(d => d).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(vocabulary.Length, StringComparer.Ordinal);
        for (var i = 0; i < vocabulary.Length; i++)
        {
            index[vocabulary[i]] = i;
        }

        var counts = documents.Select(d => CountTerms(d, index)).ToArray();
        var documentFrequency = new int[vocabulary.Length];
        foreach (var count in counts)
        {
            foreach (var term in count.Keys)
            {
                documentFrequency[term]++;
            }
        }

        var n = documents.Count;
        var idf = documentFrequency.Select(df => Math.Log((1.0 + n) / (1.0 + df)) + 1.0).ToArray();
        var vectors = counts.Select(count => Normalize(count, idf)).ToArray();
        return new TfIdfModel(vocabulary, vectors);
    }

    private static SortedDictionary<int, int> CountTerms(IReadOnlyList<string> document, Dictionary<string, int> index)
    {
        var counts = new SortedDictionary<int, int>();
        foreach (var term in document)
        {
            var i = index[term];
            counts[i] = counts.GetValueOrDefault(i) + 1;
        }

        return counts;
    }

    private static SparseVector Normalize(SortedDictionary<int, int> counts, double[] idf)
    {
        if (counts.Count == 0)
        {
            return SparseVector.Empty;
        }

        var indices = counts.Keys.ToArray();
        var values = indices.Select(i => counts[i] * idf[i]).ToArray();
        var norm = Math.Sqrt(values.Sum(v => v * v));
        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= norm;
        }

        return new SparseVector(indices, values);
    }
}
