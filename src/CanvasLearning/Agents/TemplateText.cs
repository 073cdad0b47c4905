using System.Collections.Frozen;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace CanvasLearning.Agents;

/// <summary>Markdown templates embedded in the assembly, with <c>{{placeholders}}</c> filled in one pass.</summary>
internal static partial class TemplateText
{
    /// <summary>
    /// Reads every named resource at once: a missing template is a build mistake and should fail loudly.
    /// Line endings are normalised so a checkout with CRLF does not change the output.
    /// </summary>
    public static FrozenDictionary<string, string> Load(Assembly assembly, string resourcePrefix, IEnumerable<string> names)
    {
        var templates = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            using var stream = assembly.GetManifestResourceStream(resourcePrefix + name)
                ?? throw new InvalidOperationException($"template '{name}' is not embedded in {assembly.GetName().Name}");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            templates[name] = reader.ReadToEnd().ReplaceLineEndings("\n").Trim('\n');
        }

        return templates.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>
    /// Fills the placeholders in one pass, so note text that happens to contain "{{term}}" is
    /// copied as it is and never substituted again. An unknown placeholder is a template bug.
    /// </summary>
    public static string Fill(string template, string templateName, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(
            template,
            m => values.TryGetValue(m.Groups["name"].Value, out var value)
                ? value
                : throw new InvalidOperationException($"template '{templateName}' uses unknown placeholder '{m.Value}'"));

    [GeneratedRegex(@"\{\{(?<name>[a-z_]+)\}\}")]
    private static partial Regex Placeholder();
}
