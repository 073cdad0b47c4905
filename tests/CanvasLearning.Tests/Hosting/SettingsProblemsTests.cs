using CanvasLearning.Agents;
using CanvasLearning.Canvas;
using CanvasLearning.Execution;
using CanvasLearning.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Tests.Hosting;

/// <summary>How a refused configuration reads: the key, what is wrong, and where the value to fix comes from.</summary>
public sealed class SettingsProblemsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cl-settings-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_value_from_a_json_file_is_fixed_in_that_file()
    {
        var file = Path.Combine(_folder, "appsettings.json");
        File.WriteAllText(file, """{ "Engine": { "MaxAttempts": 0 } }""");
        var configuration = new ConfigurationBuilder().AddJsonFile(file).Build();

        var line = Assert.Single(SettingsProblems.Describe(Refused<EngineOptions>("MaxAttempts", "The field MaxAttempts must be between 1 and 10."), configuration));

        Assert.Equal($"Engine:MaxAttempts is '0' but must be a whole number from 1 to 10; fix {file} (or override it with the environment variable CANVAS_LEARNING_Engine__MaxAttempts)", line);
    }

    [Fact]
    public void A_value_from_a_command_line_option_is_fixed_with_the_option_and_an_unset_one_where_settings_go()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Vault:Root"] = "" }).Build();
        var refused = new OptionsValidationException("", typeof(VaultOptions), [
            "DataAnnotation validation failed for 'VaultOptions' members: 'Root' with the error: 'Vault:Root is required: pass --vault <folder> or set Vault__Root.'.",
            "Vault:Root must be an existing folder",
        ]);

        var lines = SettingsProblems.Describe(refused, configuration, new Dictionary<string, string> { ["Vault:Root"] = "--vault" });
        var unset = SettingsProblems.Describe(Refused<EngineOptions>("CancelWaitSeconds", "The field CancelWaitSeconds must be between 1 and 600."), configuration);

        Assert.Equal(["Vault:Root is empty but must be set; fix the option --vault"], lines);
        Assert.Equal(["Engine:CancelWaitSeconds is not set but must be a whole number from 1 to 600; set it in appsettings.json or with the environment variable CANVAS_LEARNING_Engine__CancelWaitSeconds"], unset);
    }

    [Fact]
    public void Failures_of_several_options_each_get_a_line_and_other_errors_none()
    {
        var configuration = new ConfigurationBuilder().Build();
        var both = new AggregateException(
            Refused<EngineOptions>("MaxAttempts", "The field MaxAttempts must be between 1 and 10."),
            new OptionsValidationException("", typeof(AgentOptions), ["Agents:Provider is 'gpt'; use one of: offline"]));

        Assert.Equal(2, SettingsProblems.Describe(both, configuration).Count);
        Assert.Empty(SettingsProblems.Describe(new InvalidOperationException("a bug"), configuration));
        Assert.Empty(SettingsProblems.Describe(new IOException("disk full", new InvalidOperationException("inner")), configuration));
    }

    private static OptionsValidationException Refused<T>(string member, string error) =>
        new("", typeof(T), [$"DataAnnotation validation failed for '{typeof(T).Name}' members: '{member}' with the error: '{error}'."]);
}
