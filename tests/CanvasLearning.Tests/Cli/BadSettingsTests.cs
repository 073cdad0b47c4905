using CanvasLearning.Tests.Support;

namespace CanvasLearning.Tests.Cli;

/// <summary>
/// A bad setting or option value stops the real program (a child process) before it does anything:
/// exit code 2 and one line per bad value that names it, says what is wrong and how to fix it. No stack trace.
/// </summary>
public sealed class BadSettingsTests : IDisposable
{
    private readonly TestVault _vault = new(purpleNodes: 1);
    private readonly string _work = Directory.CreateTempSubdirectory("cl-bad-").FullName;

    public void Dispose()
    {
        _vault.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [Theory]
    [InlineData("serve", "Security__ApiKey", "tiny-key-42", "Security:ApiKey", "at least 16")]
    [InlineData("run", "Storage__BusyTimeoutMilliseconds", "1", "Storage:BusyTimeoutMilliseconds", "100 to 60000")]
    [InlineData("serve", "Engine__MaxConcurrentNodes", "0", "Engine:MaxConcurrentNodes", "1 to 256")]
    [InlineData("run", "Engine__MaxConcurrentNodes", "0", "Engine:MaxConcurrentNodes", "1 to 256")]
    [InlineData("serve", "Engine__MaxConcurrentNodes", "twelve", "Engine:MaxConcurrentNodes", "whole number")]
    [InlineData("run", "Engine__NodeTimeoutSeconds", "5m", "Engine:NodeTimeoutSeconds", "whole number")]
    [InlineData("serve", "Realtime__HeartbeatIntervalSeconds", "0", "Realtime:HeartbeatIntervalSeconds", "1 to 3600")]
    [InlineData("serve", "Agents__OpenAI__RequireApiKey", "maybe", "Agents:OpenAI:RequireApiKey", "true or false")]
    [InlineData("run", "Agents__Offline__SimulatedLatencyMilliseconds", "-5", "Agents:Offline:SimulatedLatencyMilliseconds", "0 to 600000")]
    [InlineData("serve", "Agents__Provider", "gpt", "Agents:Provider", "offline")]
    [InlineData("serve", "Logging__LogLevel__Default", "Verbose", "Logging:LogLevel:Default", "Information")]
    public async Task A_bad_setting_in_the_environment_stops_the_program_with_one_line_naming_it_and_exit_code_2(
        string command, string variable, string value, string setting, string expected)
    {
        var result = await RunAsync([command, "--vault", _vault.Root], new() { ["CANVAS_LEARNING_" + variable] = value });

        AssertRefused(result, setting, expected);
        Assert.Contains("CANVAS_LEARNING_" + variable, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_refused_api_key_is_not_printed()
    {
        var result = await RunAsync(["serve", "--vault", _vault.Root], new() { ["CANVAS_LEARNING_Security__ApiKey"] = "tiny-key-42" });

        AssertRefused(result, "Security:ApiKey", "at least 16");
        Assert.DoesNotContain("tiny-key-42", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_bad_setting_gets_its_own_line()
    {
        var result = await RunAsync(["serve", "--vault", _vault.Root], new()
        {
            ["CANVAS_LEARNING_Engine__MaxAttempts"] = "0",
            ["CANVAS_LEARNING_Engine__CancelWaitSeconds"] = "100000",
            ["CANVAS_LEARNING_Realtime__MaxConnections"] = "0",
        });

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(3, result.Lines.Count);
        foreach (var setting in new[] { "Engine:MaxAttempts", "Engine:CancelWaitSeconds", "Realtime:MaxConnections" })
        {
            Assert.Single(result.Lines, l => l.Contains(setting, StringComparison.Ordinal));
        }

        AssertNoStackTrace(result);
    }

    [Theory]
    [InlineData("serve", "--port", "99999", "0 to 65535")]
    [InlineData("serve", "--port", "http", "whole number")]
    [InlineData("serve", "--host", "my laptop", "IP address")]
    [InlineData("run", "--timeout", "5", "60 to 3600")]
    [InlineData("run", "--max-concurrent", "abc", "whole number")]
    [InlineData("run", "--max-concurrent", "0", "1 to 50")]
    [InlineData("run", "--offline-latency-ms", "-1", "0 to 600000")]
    [InlineData("run", "--color", "violet", "#rrggbb")]
    public async Task A_bad_option_value_stops_the_program_with_one_line_naming_the_option_and_exit_code_2(
        string command, string option, string value, string expected)
    {
        var result = await RunAsync([command, "--vault", _vault.Root, option, value]);

        AssertRefused(result, option, expected);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("run")]
    public async Task A_missing_vault_folder_stops_the_program_with_one_line_naming_the_option(string command)
    {
        var result = await RunAsync([command, "--vault", Path.Combine(_work, "no-such-vault")]);

        AssertRefused(result, "--vault", "does not exist");
    }

    [Fact]
    public async Task A_data_folder_that_cannot_be_created_stops_the_server_with_one_line_naming_the_setting()
    {
        var file = Path.Combine(_work, "a-file");
        await File.WriteAllTextAsync(file, "not a folder");

        var result = await RunAsync(["serve", "--vault", _vault.Root], new() { ["CANVAS_LEARNING_Storage__DataDirectory"] = Path.Combine(file, "data") });

        AssertRefused(result, "Storage:DataDirectory", "cannot be created");
    }

    private Task<ChildResult> RunAsync(string[] args, Dictionary<string, string>? environment = null) =>
        ChildProgram.RunAsync(args, environment, _work);

    private static void AssertRefused(ChildResult result, string name, string expected)
    {
        Assert.True(result.ExitCode == 2, $"exit code {result.ExitCode}, output:\n{result.Output}");
        var line = Assert.Single(result.Lines);
        Assert.Contains(name, line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        AssertNoStackTrace(result);
    }

    private static void AssertNoStackTrace(ChildResult result) =>
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
}
