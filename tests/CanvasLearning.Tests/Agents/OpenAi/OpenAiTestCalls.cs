using System.Text.Json.Nodes;
using CanvasLearning.Agents;
using CanvasLearning.Tests.Support;
using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Agents.OpenAi;

/// <summary>Starting a provider setup with quick retries, running a session, reading its node errors.</summary>
internal static class OpenAiTestCalls
{
    /// <summary>An <see cref="OpenAiSetup"/> whose retries wait 10 ms (plus what <c>Retry-After</c> asks) and whose engine retries at once.</summary>
    public static Task<OpenAiSetup> StartAsync(int nodes, Dictionary<string, string?>? settings = null, TimeProvider? timeProvider = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Agents:OpenAI:RetryDelayMilliseconds"] = "10",
            ["Engine:RetryDelayMilliseconds"] = "0",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return OpenAiSetup.StartAsync(nodes, all, timeProvider);
    }

    /// <summary>Confirms one group of these nodes and waits until the session ends.</summary>
    public static async Task<JsonObject> RunAsync(OpenAiSetup setup, string[] nodeIds)
    {
        var id = await setup.Client.ConfirmIdAsync(ConfirmBody(setup.Vault.CanvasPath, (AgentTypes.OralExplanation, nodeIds)));
        return await setup.Client.WaitForTerminalAsync(id);
    }

    /// <summary>Every groups[].errors[] entry: node_id, error_type, error_message.</summary>
    public static List<(string NodeId, string Type, string Message)> NodeErrors(JsonObject session) =>
        session["groups"]!.AsArray()
            .SelectMany(g => g!["errors"]!.AsArray().Select(e => (Str(e!, "node_id"), Str(e!, "error_type"), Str(e!, "error_message"))))
            .ToList();
}
