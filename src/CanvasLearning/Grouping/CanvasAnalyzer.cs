using System.Globalization;
using CanvasLearning.Canvas;

namespace CanvasLearning.Grouping;

/// <summary>
/// Groups the canvas notes of one color by topic and recommends an explanation agent per group:
/// segmentation, TF-IDF, spherical k-means with k chosen by silhouette, keyword routing.
/// Stateless apart from the shared segmenter: register it as a singleton.
/// </summary>
public sealed class CanvasAnalyzer
{
    // One agent call takes about 30 s and the server runs 12 at once by default (DESIGN.md).
    private const int DefaultParallelism = 12;
    private const int SecondsPerAgentCall = 30;
    private const int ResourceWarningThreshold = 100;

    private readonly TextSegmenter _segmenter;

    /// <summary>Uses the process-wide segmenter; the first construction loads jieba's dictionaries.</summary>
    public CanvasAnalyzer()
        : this(TextSegmenter.Shared)
    {
    }

    internal CanvasAnalyzer(TextSegmenter segmenter) => _segmenter = segmenter;

    /// <summary>Deterministic: the same canvas and options give the same groups.</summary>
    public AnalyzeResponse Analyze(string canvasPath, CanvasDocument canvas, AnalyzeOptions options)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(options);
        var marked = canvas.TextNodesWithColor(options.TargetColor);
        var skipped = marked.Select(node => ConceptSelection.Skip(node.Id, node.Text)).OfType<SkippedNode>().ToList();
        var left = skipped.Select(s => s.NodeId).ToHashSet(StringComparer.Ordinal);
        var nodes = marked
            .Where(node => !left.Contains(node.Id))
            .Select(node => (node.Id, node.Text ?? ""))
            .ToArray();
        return Group(canvasPath, nodes, options) with { SkippedNodes = skipped };
    }

    /// <summary>The whole analysis on plain (id, text) items, in canvas order.</summary>
    internal AnalyzeResponse Group(string canvasPath, IReadOnlyList<(string Id, string Text)> nodes, AnalyzeOptions options)
    {
        var total = nodes.Count;
        var duration = EstimatedDurationSeconds(total);
        var warning = ResourceWarning(total, duration);
        if (total == 0)
        {
            return new AnalyzeResponse(canvasPath, 0, [], 0, null, 0, 0);
        }

        var documents = nodes.Select(node => _segmenter.FeatureTerms(node.Text)).ToArray();
        var model = TfIdfModel.Fit(documents);
        var (labels, recommendedK) = GroupClustering.Choose(model, options.MaxGroups);
        labels = GroupClustering.MergeSmallGroups(model, labels, options.MinNodesPerGroup);
        var silhouette = Silhouette.Score(model.Vectors, model.Vocabulary.Count, labels);

        // Labels are numbered by first appearance, so g1 holds the first node of the canvas,
        // g2 the first node not in g1, and so on; members keep canvas order.
        var groupCount = labels.Max() + 1;
        var groups = new AnalyzedGroup[groupCount];
        for (var g = 0; g < groupCount; g++)
        {
            var memberIndices = Enumerable.Range(0, total).Where(i => labels[i] == g).ToArray();
            groups[g] = GroupDescriber.Describe(
                g + 1,
                memberIndices.Select(i => nodes[i]).ToArray(),
                memberIndices.Select(i => model.Vectors[i]).ToArray(),
                model);
        }

        return new AnalyzeResponse(
            canvasPath, total, groups, duration, warning,
            Math.Round(silhouette, 3, MidpointRounding.AwayFromZero), recommendedK);
    }

    /// <summary>
    /// Seconds for the whole batch: ceil(nodes / 12) waves of ~30 s each, assuming the default
    /// limit of 12 concurrent agent calls and about 30 s per call.
    /// </summary>
    internal static int EstimatedDurationSeconds(int totalNodes) =>
        (totalNodes + DefaultParallelism - 1) / DefaultParallelism * SecondsPerAgentCall;

    private static string? ResourceWarning(int totalNodes, int durationSeconds) =>
        totalNodes <= ResourceWarningThreshold
            ? null
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{totalNodes} nodes: expect about {(durationSeconds + 59) / 60} minutes; consider confirming fewer groups or splitting the canvas.");
}
