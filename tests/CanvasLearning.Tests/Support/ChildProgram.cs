using System.Diagnostics;

namespace CanvasLearning.Tests.Support;

/// <summary>The real program (<c>canvas-learning ...</c>) in a child process, run to its end.</summary>
public static class ChildProgram
{
    public static async Task<ChildResult> RunAsync(IReadOnlyList<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        info.ArgumentList.Add(ProgramPath.Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Only what the test sets: no setting leaks in from the environment the tests run in.
        foreach (var inherited in info.Environment.Keys.Where(k => k.StartsWith("CANVAS_LEARNING_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(inherited);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"canvas-learning {string.Join(' ', args)} did not exit within 90 s");
        }

        return new ChildResult(process.ExitCode, await stdout, await stderr);
    }
}

public sealed record ChildResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => StandardOutput + StandardError;

    /// <summary>The non-empty lines of both streams.</summary>
    public IReadOnlyList<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
