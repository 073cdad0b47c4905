using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using CanvasLearning.Tests.Realtime;
using CanvasLearning.Tests.Support;
using static CanvasLearning.Tests.Api.ApiCalls;
using static CanvasLearning.Tests.Realtime.Wire;

namespace CanvasLearning.Tests.Api;

/// <summary>
/// What a client in a browser or in Obsidian needs, with an API key set: CORS on REST for the
/// allowed origins only (preflights answered without the key), the socket under the REST base with
/// <c>access_token</c>, per-group counts on <c>progress_update</c>, and each node's status in polling.
/// </summary>
public sealed class ClientAccessTests() : RealtimeTestBase(purpleNodes: 6)
{
    private const string Key = "client-key-0123456789-abcdef";

    protected override Dictionary<string, string?> Settings() => new()
    {
        ["Security:ApiKey"] = Key,
        ["Security:AllowedOrigins:0"] = "https://dash.example",
    };

    [Theory]
    [InlineData("app://obsidian.md")]
    [InlineData("capacitor://localhost")]
    [InlineData("http://localhost:5173")]
    [InlineData("https://dash.example")]
    public async Task A_preflight_from_an_allowed_origin_is_answered_without_the_key(string origin)
    {
        using var anonymous = new HttpClient { BaseAddress = Server.BaseAddress };
        using var preflight = new HttpRequestMessage(HttpMethod.Options, $"{Base}/confirm");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,authorization");
        using var response = await anonymous.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(origin, Header(response, "Access-Control-Allow-Origin"));
        var allowed = Header(response, "Access-Control-Allow-Headers")!.ToLowerInvariant();
        Assert.Contains("content-type", allowed, StringComparison.Ordinal);
        Assert.Contains("authorization", allowed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_from_an_allowed_origin_carries_the_CORS_header_and_other_origins_get_none()
    {
        using var client = new HttpClient { BaseAddress = Server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        foreach (var (origin, allowed) in new[] { ("app://obsidian.md", true), ("https://evil.example", false), ("null", false) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Base);
            request.Headers.Add("Origin", origin);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(allowed ? origin : null, Header(response, "Access-Control-Allow-Origin"));

            using var preflight = new HttpRequestMessage(HttpMethod.Options, Base);
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "GET");
            using var answer = await client.SendAsync(preflight);
            Assert.Equal(allowed ? origin : null, Header(answer, "Access-Control-Allow-Origin"));
        }
    }

    [Fact]
    public async Task The_socket_under_the_REST_base_takes_the_access_token_like_the_story_path()
    {
        Server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var id = await StartHungSessionAsync("n001");

        await using (var refused = await WsClient.ConnectAsync(Server.BaseAddress, $"/api/v1/ws/intelligent-parallel/{id}"))
        {
            Assert.Empty(await refused.ReceiveAllAsync(Within));
            Assert.Equal((WebSocketCloseStatus)4001, refused.CloseStatus);
        }

        await using var ws = await WsClient.ConnectAsync(Server.BaseAddress, $"/api/v1/ws/intelligent-parallel/{id}?access_token={Key}", origin: "app://obsidian.md");
        Assert.Equal("running", Data(await ExpectAsync(ws, "connected"))["status"]!.GetValue<string>());
        await ws.SendTextAsync("ping");
        await ExpectAsync(ws, "pong");
        await CancelAsync(id);
    }

    [Fact]
    public async Task Progress_updates_carry_their_groups_counts_and_polling_gives_each_nodes_status()
    {
        Server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var id = await ConfirmGroupsAsync(Server, Vault.CanvasPath, null, ("oral-explanation", ["n002", "n003"]), ("memory-anchor", ["n004", "n005", "n006"]));
        await Server.Client.WaitForTerminalAsync(id);
        await using var replay = await ConnectAsync(Server, id, $"?last_seq=0&access_token={Key}");
        var log = (await ReadToCloseAsync(replay, WebSocketCloseStatus.NormalClosure)).Skip(1).ToList();
        AssertSeqs(log, 1, log.Count, "the log");

        var completedIn = new Dictionary<string, int>();
        foreach (var e in log)
        {
            if (Type(e) == "task_completed")
            {
                var group = Data(e)["group_id"]!.GetValue<string>();
                completedIn[group] = completedIn.GetValueOrDefault(group) + 1;
            }
            else if (Type(e) == "progress_update" && Data(e)["group_id"] is JsonValue g)
            {
                var data = Data(e);
                var group = g.GetValue<string>();
                Assert.Equal(completedIn.GetValueOrDefault(group), data["group_completed_nodes"]!.GetValue<int>());
                Assert.Equal(0, data["group_failed_nodes"]!.GetValue<int>());
                Assert.Equal(group == GroupOf(log, "n002") ? 2 : 3, data["group_total_nodes"]!.GetValue<int>());
            }
        }

        var session = await Server.Client.GetSessionAsync(id);
        var nodes = session["groups"]!.AsArray().SelectMany(g => g!["nodes"]!.AsArray()).ToList();
        Assert.Equal(["n002", "n003", "n004", "n005", "n006"], nodes.Select(n => Str(n!, "node_id")).Order());
        Assert.All(nodes, n =>
        {
            Assert.Equal("completed", Str(n!, "status"));
            Assert.EndsWith(".md", Str(n!, "file_path"), StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(Str(n!, "title")));
        });
        Assert.All(session["groups"]!.AsArray().SelectMany(g => g!["results"]!.AsArray()), r => Assert.Equal("completed", Str(r!, "status")));
    }

    private static string GroupOf(List<JsonObject> log, string nodeId) =>
        Data(log.First(e => Type(e) == "task_completed" && Data(e)["node_id"]!.GetValue<string>() == nodeId))["group_id"]!.GetValue<string>();

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
