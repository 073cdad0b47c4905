using System.Diagnostics;
using CanvasLearning.Tests.Support;

namespace CanvasLearning.Tests.Cli;

/// <summary>
/// <c>canvas-learning run --provider openai</c> as a user runs it: a real child process configured
/// through environment variables, against a FAKE chat-completions server on 127.0.0.1.
/// </summary>
public sealed class RunWithModelTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("cl-run-model-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Run_with_the_openai_provider_writes_the_models_notes_and_reports_model_and_tokens()
    {
        await using var model = await FakeOpenAiServer.StartAsync();
        var (exit, output) = await RunAsync(new Dictionary<string, string>
        {
            ["CANVAS_LEARNING_Agents__OpenAI__BaseUrl"] = model.BaseUrl.ToString(),
            ["CANVAS_LEARNING_Agents__OpenAI__Model"] = "fake-cli-model",
            ["OPENAI_API_KEY"] = "sk-cli-test",
        }, "--provider", "openai");

        Assert.True(exit == 0, output);
        var notes = Directory.GetFiles(Path.Combine(_work, "canvas-learning-sample"), "*.md", SearchOption.AllDirectories)
            .Where(f => f.Contains("-explanations", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(notes);
        Assert.Equal(notes.Count, model.Calls.Count);
        Assert.All(model.Calls, c => Assert.Equal("Bearer sk-cli-test", c.Authorization));
        Assert.All(notes, n => Assert.Contains("FAKE answer for: ", File.ReadAllText(n), StringComparison.Ordinal));
        Assert.Contains($"completed: {notes.Count} explained, 0 failed", output, StringComparison.Ordinal);
        Assert.Matches(@"Agent openai \(fake-cli-model\): [0-9,]+ tokens in, [0-9,]+ out", output);
        Assert.DoesNotContain("sk-cli-test", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_with_a_provider_that_is_not_configured_says_which_setting_is_missing()
    {
        var (exit, output) = await RunAsync(new Dictionary<string, string>(), "--provider", "openai");

        Assert.Equal(2, exit);
        Assert.Contains("error: --provider 'openai' is not available", output, StringComparison.Ordinal);
        Assert.Contains("Agents:OpenAI:Model", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_setting_stops_run_with_one_line_naming_it_and_no_stack_trace()
    {
        var (exit, output) = await RunAsync(new Dictionary<string, string> { ["CANVAS_LEARNING_Agents__Provider"] = "openai" });

        Assert.Equal(2, exit);
        Assert.Contains("error: Agents:Provider is 'openai' but Agents:OpenAI:Model is not set", output, StringComparison.Ordinal);
        Assert.Contains("CANVAS_LEARNING_Agents__Provider", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output)> RunAsync(IDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _work,
        };
        info.ArgumentList.Add(ProgramPath.Dll);
        info.ArgumentList.Add("run");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
