using CanvasLearning.Canvas;

namespace CanvasLearning.Grouping;

// CONTRACT STUB: to be implemented (select, segment, TF-IDF, k-means, silhouette, route agent).
public sealed class CanvasAnalyzer
{
    /// <summary>Deterministic: the same canvas and options give the same groups.</summary>
    public AnalyzeResponse Analyze(string canvasPath, CanvasDocument canvas, AnalyzeOptions options) =>
        throw new NotImplementedException();
}
