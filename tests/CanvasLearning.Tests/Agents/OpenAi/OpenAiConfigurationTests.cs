using System.Net;
using CanvasLearning.Agents;
using CanvasLearning.Tests.Api;
using CanvasLearning.Tests.Support;
using Microsoft.Extensions.Options;
using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Agents.OpenAi;

/// <summary>
/// The OpenAI-compatible provider's settings: what is refused at start-up (with a message that says
/// what to set), which provider a session runs with, and what the FAKE model endpoint is asked.
/// </summary>
public sealed class OpenAiConfigurationTests
{
    private const string LoopbackUrl = "http://127.0.0.1:9/v1/";

    [Fact]
    public async Task Provider_openai_without_a_model_stops_the_server_at_start_telling_to_set_the_model()
    {
        var error = await StartRefusedAsync(new()
        {
            ["Agents:Provider"] = "openai",
            ["Agents:OpenAI:BaseUrl"] = LoopbackUrl,
        });

        Assert.Contains("Agents:OpenAI:Model", error.Message, StringComparison.Ordinal);
        Assert.Contains("set it", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("offline")]
    [InlineData("openai")]
    public async Task An_api_key_in_configuration_stops_the_server_at_start_naming_the_environment_variable(string provider)
    {
        var variable = UniqueVariable();

        var error = await StartRefusedAsync(OpenAi(LoopbackUrl, variable,
            ("Agents:Provider", provider), ("Agents:OpenAI:ApiKey", "sk-in-config-" + Guid.NewGuid().ToString("N"))));

        Assert.Contains("Agents:OpenAI:ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("offline")]
    [InlineData("openai")]
    public async Task A_remote_base_url_without_the_key_variable_stops_the_server_at_start_naming_the_variable(string provider)
    {
        var variable = UniqueVariable();

        var error = await StartRefusedAsync(OpenAi("https://api.example.invalid/v1", variable, ("Agents:Provider", provider)));

        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
        Assert.Contains("api.example.invalid", error.Message, StringComparison.Ordinal);
        Assert.Contains("Agents:OpenAI:RequireApiKey=false", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_remote_keyless_server_starts_when_told_it_takes_no_key()
    {
        using var vault = new TestVault(purpleNodes: 1);
        await using var server = await TestServer.StartAsync(vault, settings: OpenAi("http://ollama.example.invalid:11434/v1", UniqueVariable(),
            ("Agents:Provider", "openai"), ("Agents:OpenAI:RequireApiKey", "false")), useOfflineAgent: true);

        using var health = await server.Client.GetPathAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_remote_base_url_with_the_key_variable_set_starts()
    {
        var variable = UniqueVariable();
        Environment.SetEnvironmentVariable(variable, "sk-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var vault = new TestVault(purpleNodes: 1);
            await using var server = await TestServer.StartAsync(vault, settings: OpenAi("https://api.example.invalid/v1", variable, ("Agents:Provider", "openai")), useOfflineAgent: true);

            using var health = await server.Client.GetPathAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Theory]
    [InlineData("offline")]
    [InlineData("openai")]
    public async Task A_base_url_that_is_not_a_url_stops_the_server_at_start(string provider)
    {
        var error = await StartRefusedAsync(OpenAi("not a url", UniqueVariable(), ("Agents:Provider", provider)));

        Assert.Contains("Agents:OpenAI:BaseUrl", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a url", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("offline")]
    [InlineData("openai")]
    public async Task A_temperature_above_2_stops_the_server_at_start(string provider)
    {
        var error = await StartRefusedAsync(OpenAi(LoopbackUrl, UniqueVariable(), ("Agents:Provider", provider), ("Agents:OpenAI:Temperature", "3")));

        Assert.Contains("Temperature", error.Message, StringComparison.Ordinal);
        Assert.Contains("between 0 and 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_attempt_timeout_longer_than_the_node_timeout_stops_the_server_at_start()
    {
        var error = await StartRefusedAsync(OpenAi(LoopbackUrl, UniqueVariable(),
            ("Agents:OpenAI:AttemptTimeoutSeconds", "400"), ("Engine:NodeTimeoutSeconds", "300")));

        Assert.Contains("Agents:OpenAI:AttemptTimeoutSeconds (400) exceeds Engine:NodeTimeoutSeconds (300)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_runs_with_the_server_default_provider_unless_it_names_agent_provider()
    {
        await using var setup = await OpenAiSetup.StartAsync(nodes: 3, new Dictionary<string, string?> { ["Agents:Provider"] = "offline" });

        var offline = await setup.Client.WaitForTerminalAsync(
            await setup.Client.ConfirmIdAsync(ConfirmBody(setup.Vault.CanvasPath, (AgentTypes.OralExplanation, ["n001"]))));

        Assert.Equal("completed", Str(offline, "status"));
        Assert.Empty(setup.ModelServer.Calls);
        var offlineNote = await ReadNoteAsync(setup, offline);
        Assert.Contains("generated_by: canvas-learning offline agent\n", offlineNote, StringComparison.Ordinal);
        Assert.Contains("model: offline-v1\n", offlineNote, StringComparison.Ordinal);

        var body = ConfirmBody(setup.Vault.CanvasPath, (AgentTypes.OralExplanation, ["n002"]));
        body["agent_provider"] = "openai";
        var online = await setup.Client.WaitForTerminalAsync(await setup.Client.ConfirmIdAsync(body));

        Assert.Equal("completed", Str(online, "status"));
        var call = Assert.Single(setup.ModelServer.Calls);
        Assert.Contains(TestVault.TextOf("n002"), call.LastUserText, StringComparison.Ordinal);
        var onlineNote = await ReadNoteAsync(setup, online);
        Assert.Contains("generated_by: canvas-learning openai agent\n", onlineNote, StringComparison.Ordinal);
        Assert.Contains($"model: \"{OpenAiSetup.Model}\"\n", onlineNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_confirm_naming_an_unknown_agent_provider_is_a_400_naming_agent_provider()
    {
        await using var setup = await OpenAiSetup.StartAsync(nodes: 1, new Dictionary<string, string?> { ["Agents:Provider"] = "offline" });
        var body = ConfirmBody(setup.Vault.CanvasPath, (AgentTypes.OralExplanation, ["n001"]));
        body["agent_provider"] = "nope";

        using var response = await setup.Client.PostJsonAsync(ConfirmPath, body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        AssertNamesField(problem, "agent_provider");
        var message = problem["errors"]!["agent_provider"]![0]!.GetValue<string>();
        Assert.Contains("nope", message, StringComparison.Ordinal);
        Assert.Contains("openai", message, StringComparison.Ordinal);
        Assert.Contains("offline", message, StringComparison.Ordinal);
        Assert.Empty(setup.ModelServer.Calls);
    }

    [Fact]
    public async Task The_prompt_for_a_chinese_note_asks_for_simplified_chinese_with_its_context_and_the_configured_sampling()
    {
        const string chinese = "什么是梯度下降？为什么学习率太大会发散？";
        await using var setup = await OpenAiSetup.StartAsync(nodes: 3, new Dictionary<string, string?>
        {
            ["Agents:OpenAI:Temperature"] = "0.7",
            ["Agents:OpenAI:MaxTokens"] = "1234",
        });
        var canvas = await File.ReadAllTextAsync(setup.Vault.CanvasFullPath);
        await File.WriteAllTextAsync(setup.Vault.CanvasFullPath, canvas.Replace(TestVault.TextOf("n001"), chinese, StringComparison.Ordinal));

        var session = await setup.Client.WaitForTerminalAsync(await setup.Client.ConfirmIdAsync(
            ConfirmBody(setup.Vault.CanvasPath, (AgentTypes.OralExplanation, ["n001", "n002", "n003"]))));

        Assert.Equal("completed", Str(session, "status"));
        var calls = setup.ModelServer.Calls;
        Assert.Equal(3, calls.Count);
        var call = Assert.Single(calls, c => IsFor(c, chinese));
        var system = Assert.Single(call.Messages, m => m.Role == "system").Text;
        Assert.Contains("Simplified Chinese (简体中文)", system, StringComparison.Ordinal);
        Assert.Contains("Answer in Simplified Chinese (简体中文)", call.LastUserText, StringComparison.Ordinal);
        // The group's other concepts, and the node linked to this one with its edge label.
        Assert.Contains("- " + TestVault.TextOf("n002"), call.LastUserText, StringComparison.Ordinal);
        Assert.Contains("- " + TestVault.TextOf("n003"), call.LastUserText, StringComparison.Ordinal);
        Assert.Contains("- leads to: not marked", call.LastUserText, StringComparison.Ordinal);
        Assert.Equal(OpenAiSetup.Model, call.Model);
        Assert.NotNull(call.Temperature);
        Assert.Equal(0.7, call.Temperature.Value, 3);
        Assert.Equal(1234, call.MaxTokens);

        // An English node of the same session is asked for English, with no link to "other".
        var english = Assert.Single(calls, c => IsFor(c, TestVault.TextOf("n002")));
        Assert.Contains("Answer in the language the concept note is written in", english.LastUserText, StringComparison.Ordinal);
        Assert.DoesNotContain("Simplified Chinese", english.LastUserText, StringComparison.Ordinal);
        Assert.Contains("linked to this one on the canvas (with edge labels):\n(none)", english.LastUserText, StringComparison.Ordinal);
        Assert.All(calls, c => Assert.Equal(1234, c.MaxTokens));
    }

    private static async Task<OptionsValidationException> StartRefusedAsync(Dictionary<string, string?> settings)
    {
        using var vault = new TestVault(purpleNodes: 1);
        return await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var server = await TestServer.StartAsync(vault, settings: settings, useOfflineAgent: true);
        });
    }

    /// <summary>Agents:OpenAI configured with a model (the server's default provider stays offline unless <paramref name="more"/> says otherwise).</summary>
    private static Dictionary<string, string?> OpenAi(string baseUrl, string keyVariable, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Agents:OpenAI:BaseUrl"] = baseUrl,
            ["Agents:OpenAI:Model"] = OpenAiSetup.Model,
            ["Agents:OpenAI:ApiKeyVariable"] = keyVariable,
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>A variable no other test sets, so the environment is not shared between tests running at once.</summary>
    private static string UniqueVariable() => "CL_TEST_OPENAI_KEY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    /// <summary>True when the call explains this concept (not merely lists it as context).</summary>
    private static bool IsFor(FakeCall call, string conceptText) =>
        call.LastUserText.Contains($"\"\"\"\n{conceptText}\n\"\"\"", StringComparison.Ordinal);

    private static async Task<string> ReadNoteAsync(OpenAiSetup setup, System.Text.Json.Nodes.JsonObject session)
    {
        var result = Assert.Single(Results(session));
        return await File.ReadAllTextAsync(Path.Combine(setup.Vault.Root, result.FilePath));
    }
}
