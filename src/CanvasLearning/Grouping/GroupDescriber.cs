namespace CanvasLearning.Grouping;

/// <summary>Name, agent, emoji and priority of one group of nodes.</summary>
internal static class GroupDescriber
{
    private const int NameKeywords = 3;
    private const int NameFallbackLength = 30;

    public static AnalyzedGroup Describe(
        int number, IReadOnlyList<(string Id, string Text)> members, IReadOnlyList<SparseVector> vectors, TfIdfModel model)
    {
        var texts = members.Select(m => m.Text).ToArray();
        var recommendation = AgentRouter.Recommend(texts);
        return new AnalyzedGroup(
            GroupId: $"g{number}",
            GroupName: Name(number, vectors, model, texts),
            GroupEmoji: AgentRouter.EmojiFor(recommendation.AgentType),
            Nodes: members.Select(m => new AnalyzedNode(m.Id, m.Text)).ToArray(),
            RecommendedAgent: recommendation.AgentType,
            Confidence: recommendation.Confidence,
            Priority: Priority(members.Count, recommendation.Confidence));
    }

    /// <summary>
    /// high: at least 3 nodes and a clear shared phrasing (confidence ≥ 0.75, i.e. half the group
    /// or more matched one rule), where one batch pays off most;
    /// low: fewer than 3 nodes that no rule matched (the generic fallback agent);
    /// medium: everything else.
    /// </summary>
    public static string Priority(int size, double confidence) =>
        size >= 3 && confidence >= 0.75 ? "high"
        : size < 3 && confidence < 0.5 ? "low"
        : "medium";

    /// <summary>
    /// The top TF-IDF terms of the group's mean vector joined with " / " (heaviest first, ordinal
    /// order on a tie); a term inside one already chosen (命题 after 逆否命题) adds nothing and is
    /// skipped. Groups without any term are named after their first note.
    /// </summary>
    private static string Name(int number, IReadOnlyList<SparseVector> vectors, TfIdfModel model, string[] texts)
    {
        var weights = new double[model.Vocabulary.Count];
        foreach (var vector in vectors)
        {
            vector.AddTo(weights);
        }

        var ranked = Enumerable.Range(0, weights.Length)
            .Where(i => weights[i] > 0)
            .OrderByDescending(i => weights[i])
            .ThenBy(i => i); // the vocabulary is sorted, so index order is ordinal term order
        var chosen = new List<string>(NameKeywords);
        foreach (var term in ranked.Select(i => model.Vocabulary[i]))
        {
            if (!chosen.Exists(c => c.Contains(term, StringComparison.Ordinal)))
            {
                chosen.Add(term);
            }

            if (chosen.Count == NameKeywords)
            {
                break;
            }
        }

        if (chosen.Count > 0)
        {
            return string.Join(" / ", chosen);
        }

        var first = texts.Length == 0 ? "" : texts[0].Trim().ReplaceLineEndings(" ");
        return first.Length == 0 ? $"Group {number}"
            : first.Length <= NameFallbackLength ? first
            : string.Concat(first.AsSpan(0, NameFallbackLength), "…");
    }
}
