using System.Globalization;
using System.Text;

namespace CanvasLearning.Tests.Canvas;

/// <summary>How a canvas file is laid out: by Obsidian, or by other tools that write JSON Canvas.</summary>
public enum CanvasStyle
{
    /// <summary>Obsidian: tabs, one node or edge per line, "key":value, LF, no final newline.</summary>
    Obsidian,

    /// <summary>Obsidian's layout saved on Windows through an editor that added a BOM.</summary>
    ObsidianCrlfBom,

    /// <summary>JSON.stringify(canvas, null, 2) plus a final newline: one property per line.</summary>
    Pretty2,

    /// <summary>Pretty 2-space with every object's keys sorted (jq -S, some sync plugins).</summary>
    SortedKeys,

    /// <summary>Everything on one line.</summary>
    Minified,
}

/// <summary>
/// Canvases that look like the real study maps: columns of cards close together inside groups,
/// Chinese and English text with emoji and Markdown, hex and preset colors, file and link nodes,
/// unknown fields, odd numbers; rendered in one of the <see cref="CanvasStyle"/>s by code that
/// does not share anything with the program's writer.
/// </summary>
public static class RealLikeCanvas
{
    public const string MarkedColor = "3";

    /// <summary>
    /// A study map: <paramref name="columns"/> groups of <paramref name="rows"/> cards each, in two
    /// sub-columns 40 px apart; every third card is marked. Groups start every <paramref name="columnPitch"/> px.
    /// </summary>
    public static (string Text, IReadOnlyList<string> MarkedIds) StudyMap(CanvasStyle style, int columns = 4, int rows = 12, int seed = 1, int columnPitch = 1300)
    {
        var nodes = new List<List<(string, string)>>();
        var edges = new List<List<(string, string)>>();
        var marked = new List<string>();
        var random = new Random(seed);
        var title = new List<(string, string)>
        {
            ("id", Q("title")), ("type", Q("text")), ("text", Q("# 离散数学 📦 复习地图\n\n**黄色**卡片还没弄懂")),
            ("x", "0"), ("y", "-300"), ("width", "720"), ("height", "140"), ("color", Q("#FFD700")),
        };
        nodes.Add(title);
        for (var c = 0; c < columns; c++)
        {
            var gx = c * columnPitch;
            nodes.Add([("id", Q($"group{c}")), ("type", Q("group")), ("label", Q(c % 2 == 0 ? $"第{c + 1}章 命题逻辑" : $"Chapter {c + 1}: Sorting")),
                ("x", N(gx - 40)), ("y", "-40"), ("width", "760"), ("height", N(((rows + 1) / 2 * 160) + 40)), ("background", Q("bg.png"))]);
            for (var r = 0; r < rows; r++)
            {
                var id = $"c{c}r{r:00}";
                var isMarked = (r + c) % 3 == 0;
                var text = c % 2 == 0
                    ? $"什么是第{r}个命题？ 🤔 见 [[命题与条件#定义|定义]]"
                    : $"Why is **merge sort** stable? ({r}) see [notes](https://example.org/{r})";
                // Two sub-columns of cards 40 px apart, rows 40 px apart: as dense as study maps get.
                var node = new List<(string, string)>
                {
                    ("id", Q(id)), ("type", Q("text")), ("text", Q(text)),
                    ("x", N(gx + (r % 2 * 360))), ("y", N(r / 2 * 160)), ("width", "320"), ("height", "120"),
                };

                if (isMarked)
                {
                    node.Add(("color", Q(MarkedColor)));
                    marked.Add(id);
                }
                else if (random.Next(4) == 0)
                {
                    node.Add(("color", Q("4")));
                }

                if (r == 5)
                {
                    node.Add(("x-plugin", "{\"pinned\":true,\"tags\":[\"复习\",\"📌\"]}"));
                }

                nodes.Add(node);
                if (r > 0 && r % 4 == 0)
                {
                    edges.Add([("id", Q($"e{c}{r}")), ("fromNode", Q($"c{c}r{r - 1:00}")), ("fromSide", Q("bottom")),
                        ("toNode", Q(id)), ("toSide", Q("top")), ("label", Q("导致 ➡️"))]);
                }
            }
        }

        nodes.Add([("id", Q("file1")), ("type", Q("file")), ("file", Q("notes/命题与条件.md")), ("x", N(columns * columnPitch)), ("y", "0"), ("width", "400"), ("height", "400")]);
        nodes.Add([("id", Q("link1")), ("type", Q("link")), ("url", Q("https://jsoncanvas.org")), ("x", N(columns * columnPitch)), ("y", "440"), ("width", "400.5"), ("height", "1e2")]);
        return (Render(style, nodes, edges, [("x-canvas-meta", "{\"version\":\"1.0\"}")]), marked);
    }

    /// <summary>
    /// A big canvas of about <paramref name="targetBytes"/>: blocks of 4 × 10 cards (40 px apart),
    /// 560 px between blocks, ten blocks a row, like a large knowledge graph grown topic by topic;
    /// <paramref name="marked"/> cards spread over it are marked.
    /// </summary>
    public static (string Text, IReadOnlyList<string> MarkedIds) Large(int targetBytes, int marked)
    {
        var nodes = new List<List<(string, string)>>();
        var edges = new List<List<(string, string)>>();
        var ids = new List<string>();
        var size = 0;
        for (var i = 0; size < targetBytes; i++)
        {
            var (block, inBlock) = (i / 40, i % 40);
            var x = (block % 10 * 2000) + (inBlock % 4 * 360);
            var y = (block / 10 * 2160) + (inBlock / 4 * 160);
            var id = $"n{i:x12}";
            var node = new List<(string, string)>
            {
                ("id", Q(id)), ("type", Q("text")),
                ("text", Q($"第{i}条笔记：关于排序算法与图论的一段说明 note {i} with some English words to make it realistic")),
                ("x", N(x)), ("y", N(y)), ("width", "320"), ("height", "120"),
            };
            ids.Add(id);
            nodes.Add(node);
            if (i > 0 && i % 2 == 0)
            {
                edges.Add([("id", Q($"e{i:x12}")), ("fromNode", Q(ids[i - 1])), ("toNode", Q(id))]);
            }

            size += 230;
        }

        // Spread the marked ones over the canvas, the way a learner marks what they meet.
        var step = ids.Count / marked;
        var chosen = Enumerable.Range(0, marked).Select(k => (k * step) + (step / 2)).ToHashSet();
        foreach (var index in chosen)
        {
            nodes[index].Add(("color", Q(MarkedColor)));
        }

        return (Render(CanvasStyle.Obsidian, nodes, edges, []), chosen.Order().Select(i => ids[i]).ToList());
    }

    public static string Render(CanvasStyle style, List<List<(string Key, string Json)>> nodes, List<List<(string Key, string Json)>> edges, List<(string Key, string Json)> extra)
    {
        var nl = style == CanvasStyle.ObsidianCrlfBom ? "\r\n" : "\n";
        var builder = new StringBuilder();
        if (style == CanvasStyle.ObsidianCrlfBom)
        {
            builder.Append('\uFEFF');
        }

        var sorted = style == CanvasStyle.SortedKeys;
        IEnumerable<(string Key, string Json)> Order(List<(string Key, string Json)> o) => sorted ? o.OrderBy(p => p.Key, StringComparer.Ordinal) : o;
        string OneLine(List<(string Key, string Json)> o) => "{" + string.Join(",", Order(o).Select(p => $"\"{p.Key}\":{p.Json}")) + "}";
        string Pretty(List<(string Key, string Json)> o, string indent) =>
            "{" + nl + string.Join("," + nl, Order(o).Select(p => $"{indent}  \"{p.Key}\": {p.Json}")) + nl + indent + "}";

        switch (style)
        {
            case CanvasStyle.Minified:
                builder.Append("{\"nodes\":[").AppendJoin(",", nodes.Select(OneLine)).Append("],\"edges\":[").AppendJoin(",", edges.Select(OneLine)).Append(']');
                foreach (var (key, json) in extra)
                {
                    builder.Append(CultureInfo.InvariantCulture, $",\"{key}\":{json}");
                }

                builder.Append('}');
                break;
            case CanvasStyle.Obsidian or CanvasStyle.ObsidianCrlfBom:
                builder.Append('{').Append(nl).Append("\t\"nodes\":[").Append(nl);
                builder.AppendJoin("," + nl, nodes.Select(n => "\t\t" + OneLine(n))).Append(nl).Append("\t],").Append(nl);
                builder.Append("\t\"edges\":[").Append(edges.Count == 0 ? "" : nl).AppendJoin("," + nl, edges.Select(e => "\t\t" + OneLine(e)));
                builder.Append(edges.Count == 0 ? "]" : nl + "\t]");
                foreach (var (key, json) in extra)
                {
                    builder.Append(',').Append(nl).Append(CultureInfo.InvariantCulture, $"\t\"{key}\":{json}");
                }

                builder.Append(nl).Append('}');
                break;
            default:
                var root = new List<(string Key, string Json)>
                {
                    ("nodes", nodes.Count == 0 ? "[]" : "[" + nl + string.Join("," + nl, nodes.Select(n => "    " + Pretty(n, "    "))) + nl + "  ]"),
                    ("edges", edges.Count == 0 ? "[]" : "[" + nl + string.Join("," + nl, edges.Select(e => "    " + Pretty(e, "    "))) + nl + "  ]"),
                };
                root.AddRange(extra);
                builder.Append('{').Append(nl).AppendJoin("," + nl, Order(root).Select(p => $"  \"{p.Key}\": {p.Json}")).Append(nl).Append('}').Append(nl);
                break;
        }

        return builder.ToString();
    }

    /// <summary>A JSON string the way Obsidian writes it: only quote, backslash and control characters escaped.</summary>
    public static string Q(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
