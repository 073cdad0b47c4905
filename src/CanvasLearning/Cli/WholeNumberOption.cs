using System.CommandLine;
using System.Globalization;

namespace CanvasLearning.Cli;

/// <summary>
/// A whole-number option whose bad value (not a number, out of range) is a parse error that names the
/// option and the range, instead of System.CommandLine's "Cannot parse argument ... as 'System.Int32'".
/// </summary>
internal static class WholeNumberOption
{
    public static Option<int?> Create(string name, string description, int min, int max, int? defaultValue = null, string unit = "")
    {
        var option = new Option<int?>(name) { Description = description };
        if (defaultValue is { } value)
        {
            option.DefaultValueFactory = _ => value;
        }

        option.CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                result.AddError($"{name} '{text}' is not a whole number; use {min} to {max}{unit}");
                return null;
            }

            if (number < min || number > max)
            {
                result.AddError($"{name} {number} is out of range; use {min} to {max}{unit}");
                return null;
            }

            return number;
        };
        return option;
    }
}
