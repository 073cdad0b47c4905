using System.Buffers;
using System.Text.RegularExpressions;

namespace CanvasLearning.Security;

/// <summary>
/// Masks secrets in log text: the value of every <c>access_token=</c> (up to <c>&amp;</c> or white
/// space: a WebSocket URL carries the API key there) and every verbatim occurrence of a configured
/// secret, as typed or URL-escaped. Finding nothing, the common case, allocates nothing.
/// </summary>
public sealed class LogRedactor
{
    public const string Mask = "***";

    /// <summary>
    /// Shorter values are placeholders ("ollama", "none"), not keys: masking them would garble every
    /// line that holds the word. The service's own key must be 16 characters or more.
    /// </summary>
    public const int MinSecretLength = 8;

    private const string TokenParameter = "access_token=";

    private readonly SearchValues<string> _needles;
    private readonly Regex _pattern;

    public LogRedactor(IEnumerable<string?> secrets)
    {
        var forms = secrets
            .Where(s => s is { Length: >= MinSecretLength })
            .SelectMany(s => new[] { s!, Uri.EscapeDataString(s!) })
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(s => s.Length) // a secret holding another is masked whole
            .ToArray();
        _needles = SearchValues.Create([TokenParameter, .. forms], StringComparison.OrdinalIgnoreCase);
        _pattern = new Regex(
            string.Join('|', [$@"(?<={Regex.Escape(TokenParameter)})[^&\s]*", .. forms.Select(Regex.Escape)]),
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    public bool ContainsSecret(ReadOnlySpan<char> text) => text.IndexOfAny(_needles) >= 0;

    public string Redact(string text) => ContainsSecret(text) ? _pattern.Replace(text, Mask) : text;

    /// <summary>Whether a log value prints a secret. Numbers, dates and the like cannot, and are not turned into text to find out.</summary>
    public bool PrintsSecret(object? value) => value switch
    {
        null => false,
        string text => ContainsSecret(text),
        Enum or DateTime or DateTimeOffset or TimeSpan or Guid or decimal => false,
        _ when value.GetType().IsPrimitive => false,

        // Message templates print the items of a sequence.
        System.Collections.IEnumerable items => items.Cast<object?>().Any(PrintsSecret),
        _ => ContainsSecret(value.ToString()),
    };

    /// <summary>The value as it prints, masked, when it holds a secret; otherwise the value itself.</summary>
    public object? RedactValue(object? value) => PrintsSecret(value) ? Redact(Printed(value!)) : value;

    private static string Printed(object value) => value is System.Collections.IEnumerable items and not string
        ? string.Join(", ", items.Cast<object?>())
        : value.ToString() ?? "";
}
