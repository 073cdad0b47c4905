using System.Text.Json;

namespace CanvasLearning.Tests.Grouping;

/// <summary>Reads the sample vault's canvas directly, so these tests do not depend on the Canvas feature.</summary>
internal static class SampleCanvas
{
    public const string RelativePath = "离散数学与编程.canvas";

    public static string VaultDirectory { get; } = Path.Combine(FindRepositoryRoot(), "samples", "vault");

    public static string FilePath => Path.Combine(VaultDirectory, RelativePath);

    /// <summary>The text nodes of <paramref name="color"/>, in file order.</summary>
    public static IReadOnlyList<(string Id, string Text)> TextNodes(string color = "3")
    {
        using var document = JsonDocument.Parse(File.ReadAllText(FilePath));
        return document.RootElement.GetProperty("nodes").EnumerateArray()
            .Where(n => n.GetProperty("type").GetString() == "text"
                && n.TryGetProperty("color", out var c) && c.GetString() == color)
            .Select(n => (n.GetProperty("id").GetString()!, n.GetProperty("text").GetString()!))
            .ToArray();
    }

    public static JsonDocument Load() => JsonDocument.Parse(File.ReadAllText(FilePath));

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CanvasLearning.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CanvasLearning.sln not found above " + AppContext.BaseDirectory);
    }
}
