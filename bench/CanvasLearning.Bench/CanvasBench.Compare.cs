using System.Globalization;

namespace CanvasLearning.Bench;

internal static partial class CanvasBench
{
    /// <summary>
    /// Both sizes in one process, a small run and a large run in turn (so a stretch of seconds when
    /// the machine is slower weighs on both alike), then the budget of the canvas issue: the large run
    /// at most 1.5 × the small one plus the time to read the file and to write it, once and as many
    /// times as the run wrote it. The peak is the process's, both sizes'.
    /// </summary>
    /// <remarks>
    /// The budget is given on the means and on the medians. One parse of the 5 MB file takes either
    /// about 31 or about 51 ms here, in the large run's read as in the read by itself, each draw on its
    /// own: the median of each then falls in one mode or the other, and their difference swings by
    /// some 20 ms from one set of runs to the next, more than what is measured. The mean counts every
    /// draw of both, so it moves by a few milliseconds only; it decides.
    /// </remarks>
    private static async Task CompareAsync()
    {
        var figures = await MeasureAsync(["small", "large"]);
        var (small, large) = (figures["small"], figures["large"]);
        var (writes, peak) = (large.Rewrites, large.PeakMb);
        Budget("means", small.Mean.Run, large.Mean, writes);
        Budget("medians", small.Median.Run, large.Median, writes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"peak working set of the process, both sizes, {peak} MB ({(peak < 400 ? "under" : "over")} 400 MB)"));
    }

    private static void Budget(string of, double small, (double Run, double Read, double Write) large, double writes)
    {
        var (run, read, write) = large;
        var once = (1.5 * small) + read + write;
        var asOften = (1.5 * small) + read + (writes * write);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"budget on the {of}, reading and writing once: {run:0.000} s against 1.5 × {small:0.000} + {read:0.000} + {write:0.000} = {once:0.000} s: {(run <= once ? "met" : "not met")} " +
            $"(margin {once - run:0.000} s); writing as often as the run did ({writes:0.#} times): against {asOften:0.000} s: {(run <= asOften ? "met" : "not met")}"));
    }
}
