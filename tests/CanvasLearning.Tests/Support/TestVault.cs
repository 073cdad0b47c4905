using System.Globalization;
using System.Text;

namespace CanvasLearning.Tests.Support;

/// <summary>A temporary vault folder with a generated canvas of purple text nodes; deleted on dispose.</summary>
public sealed class TestVault : IDisposable
{
    public TestVault(int purpleNodes = 6, string canvasName = "study.canvas")
    {
        Root = Path.Combine(Path.GetTempPath(), "cl-vault-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        CanvasPath = canvasName;
        NodeIds = Enumerable.Range(1, purpleNodes).Select(i => $"n{i:000}").ToList();
        File.WriteAllText(CanvasFullPath, GenerateCanvas(NodeIds));
    }

    public string Root { get; }

    /// <summary>Vault-relative.</summary>
    public string CanvasPath { get; }

    public string CanvasFullPath => Path.Combine(Root, CanvasPath);

    public IReadOnlyList<string> NodeIds { get; }

    public static string TextOf(string nodeId) => $"Concept {nodeId}: what is {nodeId}?";

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold a file for a moment; the temp folder is cleaned by the OS.
        }
    }

    private static string GenerateCanvas(IReadOnlyList<string> ids)
    {
        var nodes = new StringBuilder();
        for (var i = 0; i < ids.Count; i++)
        {
            nodes.Append(CultureInfo.InvariantCulture,
                $"{{\"id\":\"{ids[i]}\",\"type\":\"text\",\"text\":\"{TextOf(ids[i])}\",\"x\":{i % 10 * 400},\"y\":{i / 10 * 600},\"width\":300,\"height\":120,\"color\":\"3\"}},");
        }

        nodes.Append("{\"id\":\"other\",\"type\":\"text\",\"text\":\"not marked\",\"x\":0,\"y\":-400,\"width\":300,\"height\":120,\"customField\":42}");
        return $"{{\"nodes\":[{nodes}],\"edges\":[{{\"id\":\"e0\",\"fromNode\":\"other\",\"toNode\":\"{ids[0]}\",\"label\":\"leads to\"}}],\"x-extra\":true}}";
    }
}
