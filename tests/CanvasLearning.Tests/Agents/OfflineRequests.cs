using System.Text;
using CanvasLearning.Agents;

namespace CanvasLearning.Tests.Agents;

/// <summary>Builds requests for the offline provider and reads its output back.</summary>
internal static class OfflineRequests
{
    public static AgentRequest Request(
        string agentType, string text, string[]? group = null, string[]? connected = null, string canvas = "notes") =>
        new(agentType, "node-1", text, group ?? [], connected ?? [], canvas);

    public static async Task<string> ExplainAsync(
        string agentType, string text, string[]? group = null, string[]? connected = null, string canvas = "notes")
    {
        var result = await new OfflineAgentProvider().ExplainAsync(Request(agentType, text, group, connected, canvas));
        return result.Markdown;
    }

    /// <summary>The document after its front matter.</summary>
    public static string Body(string markdown)
    {
        var end = markdown.IndexOf("\n---\n", 4, StringComparison.Ordinal);
        return markdown[(end + 5)..];
    }

    public static string[] TableRows(string markdown) =>
        markdown.Split('\n').Where(l => l.StartsWith('|')).ToArray();

    /// <summary>
    /// Splits a table row the way GitHub-flavoured Markdown does: a backslash escapes the
    /// next character, and only unescaped pipes separate cells.
    /// </summary>
    public static List<string> Cells(string row)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        for (var i = 0; i < row.Length; i++)
        {
            if (row[i] == '\\' && i + 1 < row.Length)
            {
                cell.Append(row[i]).Append(row[++i]);
            }
            else if (row[i] == '|')
            {
                cells.Add(cell.ToString().Trim());
                cell.Clear();
            }
            else
            {
                cell.Append(row[i]);
            }
        }

        cells.Add(cell.ToString().Trim());

        // The leading and trailing pipes open and close the row; they hold no cell.
        return cells[1..^1];
    }
}
