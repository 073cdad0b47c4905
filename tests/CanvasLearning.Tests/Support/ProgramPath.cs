using CanvasLearning.Cli;

namespace CanvasLearning.Tests.Support;

/// <summary>
/// The program that child-process tests start: the program project's own build output, which the
/// coverage tool does not instrument. The copy beside the tests is instrumented, and children of it
/// all write their hit counts to the test run's one file on exit; a child ended while writing left
/// that file broken, and the run's coverage fell to a fraction of what the tests cover.
/// </summary>
internal static class ProgramPath
{
    public static string Dll { get; } = Find();

    private static string Find()
    {
        // .../tests/CanvasLearning.Tests/bin/<Configuration>/<tfm>/ → .../src/CanvasLearning/bin/<Configuration>/<tfm>/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = here.Name;
        var configuration = here.Parent?.Name;
        var root = here.Parent?.Parent?.Parent?.Parent?.Parent;
        var own = typeof(CliApp).Assembly.Location;
        if (root is null || configuration is null)
        {
            return own;
        }

        var candidate = Path.Combine(root.FullName, "src", "CanvasLearning", "bin", configuration, tfm, Path.GetFileName(own));
        return File.Exists(candidate) ? candidate : own;
    }
}
