using CanvasLearning.Hosting;

namespace CanvasLearning.Cli;

/// <summary>
/// What stops a command before it does any work (a bad option value, a bad setting): one line per
/// problem on standard error, saying what to fix, and exit code 2. No stack trace: it is not a bug.
/// </summary>
internal static class Refusal
{
    public const int ExitCode = 2;

    /// <summary>Settings the commands set from an option, so that a fix names the option.</summary>
    public static readonly IReadOnlyDictionary<string, string> SettingOptions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Vault:Root"] = "--vault",
        ["Storage:DataDirectory"] = "--data-dir",
        ["Agents:Offline:SimulatedLatencyMilliseconds"] = "--offline-latency-ms",
    };

    public static int Report(IEnumerable<string> problems)
    {
        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"error: {problem}");
        }

        return ExitCode;
    }

    /// <summary>The lines for a start-up failure caused by settings; none for anything else.</summary>
    public static IReadOnlyList<string> Describe(Exception exception, IConfiguration configuration) =>
        SettingsProblems.Describe(exception, configuration, SettingOptions);
}
