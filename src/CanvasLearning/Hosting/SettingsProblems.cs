using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Hosting;

/// <summary>
/// Turns a configuration refused at start-up into one line per bad setting: its full key, what is
/// wrong with the value, and where to fix it (the environment variable, file or option it came from).
/// Options are validated by data annotations, which name only the property, by custom validators, and
/// first of all by the binder, which throws on a value of the wrong type; all three are read here.
/// </summary>
public sealed partial class SettingsProblems
{
    public const string EnvironmentPrefix = "CANVAS_LEARNING_";

    /// <summary>Settings whose value is never printed, by their last segment (<c>Security:ApiKey</c>; not <c>RequireApiKey</c>).</summary>
    private static readonly HashSet<string> SecretNames = new(["ApiKey", "Key", "Secret", "Password", "Token", "AccessToken"], StringComparer.OrdinalIgnoreCase);

    private readonly IConfiguration _configuration;
    private readonly IReadOnlyDictionary<string, string> _options;

    private SettingsProblems(IConfiguration configuration, IReadOnlyDictionary<string, string> options)
    {
        _configuration = configuration;
        _options = options;
    }

    /// <param name="options">The command-line option of a setting (<c>Vault:Root</c> → <c>--vault</c>), to name it in a fix.</param>
    /// <returns>One line per bad setting; none when <paramref name="exception"/> is not about settings (a bug: let it show its stack trace).</returns>
    public static IReadOnlyList<string> Describe(Exception exception, IConfiguration configuration, IReadOnlyDictionary<string, string>? options = null)
    {
        var problems = new SettingsProblems(configuration, options ?? new Dictionary<string, string>());

        // One line per setting: an empty BaseUrl fails [Required] and the URL check, the first says enough.
        return [.. Causes(exception).SelectMany(problems.Lines)
            .Select(l => l.ReplaceLineEndings(" "))
            .DistinctBy(l => LeadingKey().Match(l) is { Success: true } key ? key.Value : l, StringComparer.OrdinalIgnoreCase)];
    }

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        if (exception is AggregateException aggregate)
        {
            return aggregate.InnerExceptions.SelectMany(Causes);
        }

        return exception.InnerException is { } inner && exception is not OptionsValidationException ? [exception, .. Causes(inner)] : [exception];
    }

    private IEnumerable<string> Lines(Exception exception)
    {
        if (exception is OptionsValidationException validation)
        {
            return validation.Failures.SelectMany(f => FromFailure(f, validation.OptionsType));
        }

        if (exception is InvalidOperationException && ConversionFailure().Match(exception.Message) is { Success: true } conversion)
        {
            var key = conversion.Groups["key"].Value;
            var range = Property(key) is { } property && property.GetCustomAttribute<RangeAttribute>() is { } r ? " " + FromTo(r) : "";
            return [Line(key, conversion.Groups["value"].Value, TypeRequirement(conversion.Groups["type"].Value) + range)];
        }

        if (exception is InvalidOperationException && UnsupportedLogLevel().Match(exception.Message) is { Success: true } level)
        {
            return FromLogLevel(level.Groups["value"].Value);
        }

        return [];
    }

    private IEnumerable<string> FromFailure(string failure, Type optionsType)
    {
        var annotation = DataAnnotationFailure().Match(failure);
        if (!annotation.Success)
        {
            // A custom validator's message, which names its settings already: add where the first comes from.
            return [LeadingKey().Match(failure) is { Success: true } key && Source(key.Value) is { } source
                ? $"{failure.TrimEnd('.')} (set by {source})"
                : failure];
        }

        var section = Section(optionsType);
        var error = annotation.Groups["error"].Value;
        return annotation.Groups["members"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(member =>
            {
                var key = $"{section}:{member}";
                return Line(key, _configuration[key], Requirement(optionsType.GetProperty(member), member, key, error));
            });
    }

    private List<string> FromLogLevel(string value)
    {
        const string levels = "one of Trace, Debug, Information, Warning, Error, Critical, None";
        var keys = _configuration.GetSection("Logging").AsEnumerable()
            .Where(kv => kv.Value == value && IsLogLevelKey(kv.Key))
            .Select(kv => Line(kv.Key, value, levels))
            .ToList();
        return keys.Count > 0 ? keys : [$"the log level '{value}' in Logging:LogLevel is not {levels}; fix it"];

        static bool IsLogLevelKey(string key) =>
            key.Split(':') is { Length: >= 2 } parts && parts[^2].Equals("LogLevel", StringComparison.OrdinalIgnoreCase);
    }

    private string Line(string key, string? value, string requirement)
    {
        var shown = value switch
        {
            null => "not set",
            "" => "empty",
            _ when IsSecret(key) => "set",
            _ => $"'{value}'",
        };
        var fix = Source(key) is { } source ? $"fix {source}" : $"set it in appsettings.json or with the environment variable {EnvironmentName(key)}";
        return $"{key} is {shown} but must be {requirement}; {fix}";
    }

    /// <summary>Where the value that counts comes from: the last source that has the key.</summary>
    private string? Source(string key)
    {
        var provider = (_configuration as IConfigurationRoot)?.Providers.LastOrDefault(p => p.TryGet(key, out _));
        return provider switch
        {
            null => null,
            EnvironmentVariablesConfigurationProvider => $"the environment variable {EnvironmentName(key)}",
            FileConfigurationProvider file => $"{FullPath(file.Source)} (or override it with the environment variable {EnvironmentName(key)})",
            _ when _options.TryGetValue(key, out var option) => $"the option {option}",
            _ => null,
        };
    }

    private static string? FullPath(FileConfigurationSource source) =>
        source.Path is { } path ? source.FileProvider?.GetFileInfo(path).PhysicalPath ?? path : null;

    private static string Requirement(PropertyInfo? property, string member, string key, string error)
    {
        var attributes = property?.GetCustomAttributes<ValidationAttribute>(inherit: true).ToArray() ?? [];
        var failed = attributes.FirstOrDefault(a => a.FormatErrorMessage(member) == error) ?? (attributes.Length == 1 ? attributes[0] : null);
        return failed switch
        {
            RangeAttribute range => $"{(range.OperandType == typeof(int) ? "a whole number" : "a number")} {FromTo(range)}",
            MinLengthAttribute length => $"at least {length.Length} characters long",
            MaxLengthAttribute length => $"at most {length.Length} characters long",
            RequiredAttribute => "set",
            _ when error.StartsWith(key + " must be ", StringComparison.Ordinal) => error[(key.Length + " must be ".Length)..].TrimEnd('.'),
            _ => error.TrimEnd('.'),
        };
    }

    private static string FromTo(RangeAttribute range) =>
        string.Create(CultureInfo.InvariantCulture, $"from {range.Minimum} to {range.Maximum}");

    private static string TypeRequirement(string type) => type switch
    {
        _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when type.Contains("Int", StringComparison.Ordinal) || type.Contains("Byte", StringComparison.Ordinal) => "a whole number",
        _ when type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) || type.Contains("Decimal", StringComparison.Ordinal) => "a number",
        _ when type.Contains("TimeSpan", StringComparison.Ordinal) => "a duration such as 00:05:00",
        _ => $"a value of type {type}",
    };

    /// <summary>The options class bound to the key's section (<c>Engine:MaxConcurrentNodes</c> → <c>EngineOptions.MaxConcurrentNodes</c>).</summary>
    private static PropertyInfo? Property(string key)
    {
        var split = key.LastIndexOf(':');
        return split > 0 && OptionsTypes.Value.TryGetValue(key[..split], out var type) ? type.GetProperty(key[(split + 1)..]) : null;
    }

    private static readonly Lazy<Dictionary<string, Type>> OptionsTypes = new(() => typeof(SettingsProblems).Assembly.GetTypes()
        .Where(t => SectionField(t) is not null)
        .ToDictionary(Section, StringComparer.OrdinalIgnoreCase));

    /// <summary>Each options class says its section in a <c>Section</c> constant.</summary>
    private static string Section(Type optionsType) => SectionField(optionsType)?.GetRawConstantValue() as string ?? optionsType.Name;

    private static FieldInfo? SectionField(Type type) =>
        type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true, FieldType: var t } field && t == typeof(string) ? field : null;

    private static bool IsSecret(string key) => SecretNames.Contains(key[(key.LastIndexOf(':') + 1)..]);

    public static string EnvironmentName(string key) => EnvironmentPrefix + key.Replace(":", "__", StringComparison.Ordinal);

    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '(?<members>[^']*)' with the error: '(?<error>.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();

    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex ConversionFailure();

    [GeneratedRegex(@"^Configuration value '(?<value>.*)' is not supported\.", RegexOptions.Singleline)]
    private static partial Regex UnsupportedLogLevel();

    /// <summary>A key at the start of a line: <c>Engine:MaxAttempts</c>, <c>Logging:LogLevel:Microsoft.AspNetCore</c>, <c>Security:AllowedOrigins:0</c>.</summary>
    [GeneratedRegex(@"^[A-Z][A-Za-z]*(?::[A-Za-z0-9][A-Za-z0-9_.]*[A-Za-z0-9])+")]
    private static partial Regex LeadingKey();
}
