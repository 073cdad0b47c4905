using CanvasLearning.Agents;
using CanvasLearning.Tests.Api;
using CanvasLearning.Tests.Support;
using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Agents.OpenAi;

/// <summary>Whole sessions through the real OpenAI-compatible provider against a FAKE chat-completions server on 127.0.0.1.</summary>
public sealed class OpenAiSessionTests
{
    [Fact]
    public async Task A_session_writes_the_models_answers_and_records_model_tokens_and_durations()
    {
        await using var setup = await OpenAiSetup.StartAsync(nodes: 4);
        var ids = setup.Vault.NodeIds;
        var id = await setup.Client.ConfirmIdAsync(ConfirmBody(setup.Vault.CanvasPath,
            (AgentTypes.OralExplanation, [ids[0], ids[1]]), (AgentTypes.ComparisonTable, [ids[2], ids[3]])));

        var session = await setup.Client.WaitForTerminalAsync(id);

        Assert.Equal("completed", Str(session, "status"));
        var calls = setup.ModelServer.Calls;
        Assert.Equal(4, calls.Count);
        Assert.All(calls, c => Assert.Equal($"Bearer {setup.Key}", c.Authorization));
        Assert.All(calls, c => Assert.Equal(OpenAiSetup.Model, c.Model));
        var results = session["groups"]!.AsArray().SelectMany(g => g!["results"]!.AsArray()).Select(r => r!.AsObject()).ToList();
        Assert.Equal(4, results.Count);
        foreach (var result in results)
        {
            var nodeId = Str(result, "node_id");
            var call = Assert.Single(calls, c => c.LastUserText.Contains($"\"\"\"\n{TestVault.TextOf(nodeId)}\n\"\"\"", StringComparison.Ordinal));
            var note = await File.ReadAllTextAsync(Path.Combine(setup.Vault.Root, Str(result, "file_path")));
            Assert.Contains(FakeOpenAiServer.DefaultContent(call), note, StringComparison.Ordinal);
            Assert.Contains($"model: \"{OpenAiSetup.Model}\"", note, StringComparison.Ordinal);
            Assert.Equal(OpenAiSetup.Model, Str(result, "model"));
            Assert.True(result["tokens_in"]!.GetValue<long>() > 0);
            Assert.True(result["tokens_out"]!.GetValue<long>() > 0);
        }

        var metrics = session["performance_metrics"]!.AsObject();
        Assert.Equal(results.Sum(r => r["tokens_in"]!.GetValue<long>()), metrics["tokens_in"]!.GetValue<long>());
        Assert.Equal(results.Sum(r => r["tokens_out"]!.GetValue<long>()), metrics["tokens_out"]!.GetValue<long>());
    }
}
