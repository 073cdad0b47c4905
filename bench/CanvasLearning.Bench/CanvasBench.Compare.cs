using System.Globalization;

namespace CanvasLearning.Bench;

internal static partial class CanvasBench
{
    /// <summary>
    /// Both sizes in one process, a small run and a large run in turn (so a stretch of seconds when
    /// the machine is slower weighs on both alike: on this shared machine one parse of the 5 MB file
    /// takes 22 ms for some seconds, then 45 ms for the next, in the same process), then the budget of
    /// the canvas issue: the large run at most 1.5 × the small one plus the time to read the file and
    /// to write it, once and as many times as the run wrote it. The peak is the process's, both sizes'.
    /// </summary>
    private static async Task CompareAsync()
    {
        var figures = await MeasureAsync(["small", "large"]);
        var (small, large) = (figures["small"].Run, figures["large"]);
        var (run, read, write, writes) = (large.Run, large.Read, large.Write, large.Rewrites);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"budget, reading and writing once: {run:0.000} s against 1.5 × {small:0.000} + {read:0.000} + {write:0.000} = {(1.5 * small) + read + write:0.000} s: {(run <= (1.5 * small) + read + write ? "met" : "not met")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"budget, writing as often as the run did ({writes:0.#} times): {run:0.000} s against {(1.5 * small) + read + (writes * write):0.000} s: {(run <= (1.5 * small) + read + (writes * write) ? "met" : "not met")}; " +
            $"peak working set of the process, both sizes, {large.PeakMb} MB ({(large.PeakMb < 400 ? "under" : "over")} 400 MB)"));
    }
}
