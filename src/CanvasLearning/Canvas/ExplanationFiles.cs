using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CanvasLearning.Canvas;

/// <summary>Where explanation files go and what they are called.</summary>
public static partial class ExplanationFiles
{
    /// <summary>Longest title, in text elements (what a reader counts as characters).</summary>
    public const int MaxTitleLength = 60;

    // Also a byte cap: 60 emoji or CJK characters would otherwise approach the 255-byte name
    // limit of ext4/APFS once the agent type and a " (n)" suffix are added.
    private const int MaxTitleUtf8Bytes = 150;

    private const string Fallback = "untitled";

    // Windows refuses these as names whatever the extension; vaults are synced across systems.
    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary><c>{canvas dir}/{canvas name}-explanations</c>.</summary>
    public static string DirectoryFor(string canvasFullPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(canvasFullPath);
        var full = Path.GetFullPath(canvasFullPath);
        var directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{canvasFullPath}' has no directory.", nameof(canvasFullPath));
        return Path.Combine(directory, $"{Path.GetFileNameWithoutExtension(full)}-explanations");
    }

    /// <summary>
    /// A safe, length-limited file name (with .md) from the agent type and the node text, unique
    /// against <paramref name="taken"/> (case-insensitive); the name returned is added to it.
    /// </summary>
    /// <param name="taken">File names (not paths) already used in the target directory; best a <see cref="HashSet{T}"/> of <see cref="StringComparer.OrdinalIgnoreCase"/>, which is used without a copy.</param>
    public static string PlanUnique(string agentType, string nodeText, ISet<string> taken)
    {
        ArgumentNullException.ThrowIfNull(taken);
        var agent = Truncate(Clean(agentType ?? string.Empty));
        var title = Title(nodeText ?? string.Empty);
        var stem = agent.Length == 0 ? title : $"{agent} - {title}";
        if (ReservedNames.Contains(stem))
        {
            stem = "_" + stem;
        }

        // Case-insensitive because Windows and macOS file systems are. A set that already compares so
        // is used as it is: copying it for each name made planning a session's names quadratic
        // (0.8 s for 10,000 nodes).
        var used = taken is HashSet<string> set && ReferenceEquals(set.Comparer, StringComparer.OrdinalIgnoreCase)
            ? set
            : new HashSet<string>(taken, StringComparer.OrdinalIgnoreCase);
        var name = $"{stem}.md";
        for (var n = 2; used.Contains(name); n++)
        {
            name = string.Create(CultureInfo.InvariantCulture, $"{stem} ({n}).md");
        }

        taken.Add(name);
        return name;
    }

    /// <summary>A stable 16-hex-digit id derived from the parts (for canvas node and edge ids).</summary>
    public static string StableId(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);

        // The unit separator cannot appear in ids or paths, so ("a b", "c") and ("a", "b c") differ.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        return Convert.ToHexStringLower(hash, 0, 8);
    }

    /// <summary>The title part of a name: the node's first non-empty line, made safe and short.</summary>
    internal static string Title(string nodeText)
    {
        var firstLine = nodeText
            .Split('\n')
            .Select(line => Clean(ListMarker().Replace(line, string.Empty)))
            .FirstOrDefault(line => line.Length > 0);
        return firstLine is null ? Fallback : Truncate(firstLine) is { Length: > 0 } title ? title : Fallback;
    }

    private static string Clean(string text)
    {
        // Embeds (![[x.png]], ![alt](url)) show a file, not words; tags and bare addresses are not words either.
        var cleaned = Embed().Replace(text, " ");
        cleaned = HtmlTag().Replace(cleaned, " ");

        // [text](url) keeps its text; [[Note|alias]] keeps the alias; a link left open keeps its text, not its address.
        cleaned = MarkdownLink().Replace(cleaned, "$1");
        cleaned = WikiLink().Replace(cleaned, m => m.Groups[2].Success ? m.Groups[2].Value : m.Groups[1].Value);
        cleaned = BrokenLink().Replace(cleaned, "$1");
        cleaned = BrokenWikiLink().Replace(cleaned, m => m.Groups[2].Success ? m.Groups[2].Value : m.Groups[1].Value);
        cleaned = BareUrl().Replace(cleaned, " ");

        // **bold**, *italic*, ~~struck~~, ==marked==, `code`: the words, without a space where the marks were.
        cleaned = Emphasis().Replace(cleaned, "$2");

        var builder = new StringBuilder(cleaned.Length);
        foreach (var c in cleaned)
        {
            builder.Append(char.IsControl(c) || IsBadInName(c) ? ' ' : c);
        }

        return Whitespace().Replace(builder.ToString(), " ").Trim(' ', '.');
    }

    // Markup (# * ` > [ ] ~ ^ =) and what Windows, macOS or Obsidian links cannot take in a name.
    private static bool IsBadInName(char c) => c is '#' or '*' or '`' or '>' or '[' or ']' or '~' or '^' or '='
        or '/' or '\\' or ':' or '?' or '"' or '<' or '|';

    private static string Truncate(string title)
    {
        // Cut on text elements so no surrogate pair or combining sequence is split.
        var elements = StringInfo.GetTextElementEnumerator(title);
        var end = 0;
        var count = 0;
        while (count < MaxTitleLength && elements.MoveNext())
        {
            var next = elements.ElementIndex + ((string)elements.Current).Length;
            if (Encoding.UTF8.GetByteCount(title.AsSpan(0, next)) > MaxTitleUtf8Bytes)
            {
                break;
            }

            end = next;
            count++;
        }

        // Words written with spaces are cut between words, not inside one.
        if (end < title.Length && char.IsLetterOrDigit(title[end]) && end > 0 && char.IsLetterOrDigit(title[end - 1])
            && title.LastIndexOf(' ', end - 1) is var space and > 0 && end - space < 24)
        {
            end = space;
        }

        return title[..end].Trim(' ', '.', ',', ';', '(', '-');
    }

    [GeneratedRegex(@"!\[\[[^\]]*\]\]|!\[[^\]]*\]\([^)]*\)")]
    private static partial Regex Embed();

    [GeneratedRegex(@"</?(?:br|span|div|p|b|i|u|em|strong|font|mark|sup|sub|img|a|center|small|code|s|del|ins|hr)\b[^<>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"\[([^\[\]]*)\]\([^)]*\)")]
    private static partial Regex MarkdownLink();

    // "[text](http://cut off" with no end: the text stays, the address goes.
    [GeneratedRegex(@"\[([^\[\]]*)\]\([^)]*$")]
    private static partial Regex BrokenLink();

    // "[[Note|alias" with no end: the alias (or the note's name) stays.
    [GeneratedRegex(@"\[\[([^\[\]|]*)(?:\|([^\[\]]*))?$")]
    private static partial Regex BrokenWikiLink();

    [GeneratedRegex(@"(\*\*|__|\*|~~|==|`)(\S(?:.*?\S)?)\1")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"\b(?:https?|ftp|obsidian)://\S*|\bwww\.\S+", RegexOptions.IgnoreCase)]
    private static partial Regex BareUrl();

    [GeneratedRegex(@"\[\[([^\]|]*)(?:\|([^\]]*))?\]\]")]
    private static partial Regex WikiLink();

    // "- item", "+ item", "1. item", "2) item": the marker is not part of the title.
    [GeneratedRegex(@"^\s*(?:[-+*]|\d+[.)])\s+")]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
