using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CanvasLearning.Canvas;
using CanvasLearning.Tests.Support;
using Microsoft.Data.Sqlite;

namespace CanvasLearning.Tests.Execution;

public sealed class CrashRecoveryTests : IDisposable
{
    private const int Nodes = 24;
    private readonly TestVault _vault = new(purpleNodes: Nodes);

    public void Dispose() => _vault.Dispose();

    [Fact]
    public async Task A_server_killed_mid_session_finishes_it_after_restart_with_every_node_done_once()
    {
        // The model is a FAKE endpoint in this process. Before the kill it answers the first six
        // nodes and holds every other call, so the kill finds the session midway by construction
        // (a think time only made that likely: a stalled poll could find the session already over).
        await using var model = await FakeOpenAiServer.StartAsync();
        var answered = _vault.NodeIds.Take(6).Select(id => $"\"\"\"\n{TestVault.TextOf(id)}\n\"\"\"").ToList();
        model.Respond(call => answered.Any(a => call.LastUserText.Contains(a, StringComparison.Ordinal)) ? FakeReply.Ok() : FakeReply.Hang());
        var environment = new Dictionary<string, string>
        {
            ["CANVAS_LEARNING_Agents__Provider"] = "openai",
            ["CANVAS_LEARNING_Agents__OpenAI__BaseUrl"] = model.BaseUrl.ToString(),
            ["CANVAS_LEARNING_Agents__OpenAI__Model"] = "fake-crash-model",
            ["CANVAS_LEARNING_Engine__MaxConcurrentNodes"] = "4",
        };
        string session;
        using (var first = await ChildServer.StartAsync(_vault.Root, environment))
        {
            var confirm = await first.Client.PostAsJsonAsync("/api/v1/canvas/intelligent-parallel/confirm", new JsonObject
            {
                ["canvas_path"] = _vault.CanvasPath,
                ["groups"] = new JsonArray(new JsonObject
                {
                    ["group_id"] = "g1",
                    ["agent_type"] = "oral-explanation",
                    ["node_ids"] = new JsonArray(_vault.NodeIds.Select(id => (JsonNode)id!).ToArray()),
                }),
            });
            confirm.EnsureSuccessStatusCode();
            session = (await confirm.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>();
            // Nodes run in order, four at a time: n001..n006 done, then n007..n010 held at the model.
            var midway = await PollAsync(first.Client, session, s => s["completed_nodes"]!.GetValue<int>() == 6 && model.InFlight == 4);
            Assert.Equal("running", midway["status"]!.GetValue<string>());
            first.KillHard();
        }

        model.Respond(_ => FakeReply.Ok());

        // What a kill in the middle of a write leaves, beside files of the user's that look alike.
        var explanations = Path.Combine(_vault.Root, "study-explanations");
        var stale = new[]
        {
            Path.Combine(_vault.Root, $".study.canvas.{Guid.NewGuid():N}.tmp"),
            Path.Combine(explanations, $".oral-explanation - x.md.{Guid.NewGuid():N}.tmp"),
        };
        var users = new[] { Path.Combine(_vault.Root, "backup.tmp"), Path.Combine(explanations, ".draft.md.tmp") };
        foreach (var file in stale.Concat(users))
        {
            await File.WriteAllTextAsync(file, "{ half written");
        }

        using var second = await ChildServer.StartAsync(_vault.Root, environment);
        var end = await PollAsync(second.Client, session, s => s["status"]!.GetValue<string>() != "running");

        Assert.Equal("completed", end["status"]!.GetValue<string>());
        Assert.Equal(Nodes, end["completed_nodes"]!.GetValue<int>());
        Assert.Equal(_vault.NodeIds.Order(), CompletedEventsPerNode(session).Keys.Order());
        Assert.All(CompletedEventsPerNode(session).Values, count => Assert.Equal(1, count));

        var files = Directory.GetFiles(explanations, "*.md");
        Assert.Equal(Nodes, files.Length);
        Assert.All(stale, file => Assert.False(File.Exists(file), file));
        Assert.All(users, file => Assert.True(File.Exists(file), file));
        Assert.DoesNotContain(Directory.GetFiles(_vault.Root).Concat(Directory.GetFiles(explanations)), f => AtomicFile.IsTempName(Path.GetFileName(f)));
        var canvas = JsonNode.Parse(await File.ReadAllTextAsync(_vault.CanvasFullPath))!;
        var nodes = canvas["nodes"]!.AsArray();
        var ids = nodes.Select(n => n!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(Nodes, nodes.Count(n => n!["type"]!.GetValue<string>() == "file"));
        Assert.All(canvas["edges"]!.AsArray(), e =>
        {
            Assert.Contains(e!["fromNode"]!.GetValue<string>(), ids);
            Assert.Contains(e["toNode"]!.GetValue<string>(), ids);
        });
    }

    private Dictionary<string, int> CompletedEventsPerNode(string session)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_vault.Root, ".canvas-learning", "sessions.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT json_extract(payload, '$.data.node_id'), COUNT(*) FROM session_events WHERE session_id = $id AND type = 'task_completed' GROUP BY 1";
        command.Parameters.AddWithValue("$id", session);
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<string, int>();
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        return counts;
    }

    private static async Task<JsonObject> PollAsync(HttpClient client, string session, Func<JsonObject, bool> until)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var state = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/canvas/intelligent-parallel/{session}"))!;
            if (until(state))
            {
                return state;
            }

            Assert.True(DateTime.UtcNow < deadline, $"session state not reached within 60 s: {state.ToJsonString()}");
            await Task.Delay(25);
        }
    }
}
