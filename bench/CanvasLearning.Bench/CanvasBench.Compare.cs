using System.Diagnostics;
using System.Globalization;

namespace CanvasLearning.Bench;

internal static partial class CanvasBench
{
    /// <summary>
    /// Both sizes, each in a process of its own (so their peaks are apart), then the budget of the
    /// canvas issue: the large run at most 1.5 × the small one plus the time to read the file and
    /// to write it, once and as many times as the run wrote it.
    /// </summary>
    private static async Task CompareAsync()
    {
        var figures = new Dictionary<string, double[]>();
        foreach (var size in new[] { "small", "large" })
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
            if (Path.GetFileName(Environment.ProcessPath!) is "dotnet" or "dotnet.exe")
            {
                // Started as "dotnet CanvasLearning.Bench.dll": so is the child.
                start.ArgumentList.Add(typeof(CanvasBench).Assembly.Location);
            }

            foreach (var arg in new[] { "canvas", size })
            {
                start.ArgumentList.Add(arg);
            }

            using var child = Process.Start(start)!;
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("figures ", StringComparison.Ordinal))
                {
                    figures[size] = line.Split(' ')[2..].Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
                }
                else
                {
                    Console.WriteLine(line);
                }
            }

            await child.WaitForExitAsync();
        }

        var (small, large) = (figures["small"][0], figures["large"]);
        var (run, read, write, writes) = (large[0], large[1], large[2], large[3]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"budget, reading and writing once: {run:0.000} s against 1.5 × {small:0.000} + {read:0.000} + {write:0.000} = {(1.5 * small) + read + write:0.000} s: {(run <= (1.5 * small) + read + write ? "met" : "not met")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"budget, writing as often as the run did ({writes:0.#} times): {run:0.000} s against {(1.5 * small) + read + (writes * write):0.000} s: {(run <= (1.5 * small) + read + (writes * write) ? "met" : "not met")}; " +
            $"peak working set of the large run {large[4]:0} MB ({(large[4] < 400 ? "under" : "over")} 400 MB)"));
    }
}
