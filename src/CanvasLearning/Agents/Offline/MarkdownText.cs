using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CanvasLearning.Agents.Offline;

/// <summary>Makes arbitrary note text safe in the places a scaffold puts it.</summary>
internal static partial class MarkdownText
{
    /// <summary>
    /// One table cell: newlines would end the row and a bare pipe would start a new cell.
    /// A pipe gets a backslash, and any backslashes already before it are doubled, so
    /// "a\|b" cannot turn into an escaped backslash followed by a live pipe.
    /// </summary>
    public static string TableCell(string text) =>
        PipeWithBackslashes().Replace(ConceptText.OneLine(text), m => m.Groups["bs"].Value + m.Groups["bs"].Value + @"\|");

    /// <summary>A YAML double-quoted scalar: always valid, whatever the text holds.</summary>
    public static string YamlString(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>The front matter every generated note starts with, so notes can be found and told apart in the vault.</summary>
    public static StringBuilder AppendFrontMatter(StringBuilder markdown, string generatedBy, AgentRequest request, string title, string languageCode, string model) =>
        markdown.Append("---\n")
            .Append("generated_by: ").Append(generatedBy).Append('\n')
            .Append("agent_type: ").Append(request.AgentType).Append('\n')
            .Append("source_node: ").Append(YamlString(request.NodeId)).Append('\n')
            .Append("canvas: ").Append(YamlString(request.CanvasName)).Append('\n')
            .Append("title: ").Append(YamlString(title)).Append('\n')
            .Append("language: ").Append(languageCode).Append('\n')
            .Append("model: ").Append(model).Append('\n')
            .Append("---\n");

    /// <summary>Quotes every line, blank ones included, so a multi-line note stays one block.</summary>
    public static string BlockQuoteLines(string text) =>
        string.Join('\n', text.Trim().ReplaceLineEndings("\n").Split('\n').Select(l => ("> " + l.TrimEnd()).TrimEnd()));

    [GeneratedRegex(@"(?<bs>\\*)\|")]
    private static partial Regex PipeWithBackslashes();
}
