namespace CanvasLearning.Cli;

/// <summary>
/// The sample vault shipped beside the program. <c>run</c> without <c>--vault</c> works on a fresh
/// copy of it, so the first command a new user types needs nothing and changes nothing they own.
/// </summary>
internal static class SampleVault
{
    private const string Marker = ".canvas-learning-sample";

    public static string Bundled => Path.Combine(AppContext.BaseDirectory, "sample-vault");

    /// <summary>Copies the sample to <paramref name="target"/>, replacing an earlier copy (never another folder).</summary>
    public static string CopyTo(string target)
    {
        var full = Path.GetFullPath(target);
        if (Directory.Exists(full))
        {
            if (!File.Exists(Path.Combine(full, Marker)))
            {
                throw new IOException($"'{full}' exists and is not a sample copy made by canvas-learning; pass --vault to work there, or remove it");
            }

            Directory.Delete(full, recursive: true);
        }

        foreach (var file in Directory.EnumerateFiles(Bundled, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(full, Path.GetRelativePath(Bundled, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        File.WriteAllText(Path.Combine(full, Marker), "A copy of the canvas-learning sample vault; `canvas-learning run` replaces it.\n");
        return full;
    }
}
