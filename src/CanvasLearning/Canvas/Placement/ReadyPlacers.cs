using System.Runtime.CompilerServices;

namespace CanvasLearning.Canvas.Placement;

/// <summary>
/// Placers built ahead of time for frozen documents (a canvas analyze has just read): the index of
/// the canvas's cards is built while the learner looks at the proposed groups, and the first plan on
/// that document takes it instead of building its own when the session starts. Each is taken once:
/// a plan holds its spots in its placer, so a second plan on the same document builds a new one.
/// </summary>
internal static class ReadyPlacers
{
    private static readonly ConditionalWeakTable<CanvasDocument, Task<ExplanationPlacer>> Ready = new();

    /// <summary>Starts building the placer of <paramref name="document"/> on a pool thread, unless one is built or being built; nothing for a document that can still change.</summary>
    public static void Prepare(CanvasDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!document.IsFrozen)
        {
            return;
        }

        var build = new Task<ExplanationPlacer>(() => new ExplanationPlacer(document.Nodes));
        if (Ready.TryAdd(document, build))
        {
            build.Start(TaskScheduler.Default);
        }
    }

    /// <summary>The placer built ahead for <paramref name="document"/> (waited for if still being built, and no longer there for the next one), or a new one.</summary>
    internal static ExplanationPlacer Take(CanvasDocument document)
    {
        if (Ready.TryGetValue(document, out var ready) && Ready.Remove(document))
        {
            return ready.GetAwaiter().GetResult();
        }

        return new ExplanationPlacer(document.Nodes);
    }
}
