using System.Net;
using System.Text.Json.Nodes;
using CanvasLearning.Realtime;
using CanvasLearning.Tests.Support;
using Microsoft.AspNetCore.Http;
using static CanvasLearning.Tests.Realtime.Wire;

namespace CanvasLearning.Tests.Realtime;

/// <summary>
/// The sockets' paths, matched ahead of the rest of the server: both spellings reach the stream, a
/// plain HTTP request there is told to use a WebSocket, and any other path is left to the API.
/// </summary>
public sealed class SocketPathTests() : RealtimeTestBase(purpleNodes: 2)
{
    [Theory]
    [InlineData("/ws/intelligent-parallel/abc", "abc")]
    [InlineData("/ws/intelligent-parallel/abc/", "abc")]
    [InlineData("/api/v1/ws/intelligent-parallel/abc", "abc")]
    [InlineData("/api/v1/ws/intelligent-parallel/abc/", "abc")]
    [InlineData("/ws/intelligent-parallel/", null)]
    [InlineData("/ws/intelligent-parallel", null)]
    [InlineData("/ws/intelligent-parallel/abc/events", null)]
    [InlineData("/ws/intelligent-parallel//", null)]
    [InlineData("/api/v1/ws/abc", null)]
    [InlineData("/api/v1/intelligent-parallel/abc", null)]
    [InlineData("/WS/intelligent-parallel/abc", null)]
    [InlineData("/", null)]
    public void A_path_names_a_session_only_as_one_segment_under_either_socket_prefix(string path, string? expected) =>
        Assert.Equal(expected, RealtimeEndpoints.SessionIdOf(new PathString(path)));

    [Theory]
    [InlineData("/ws/intelligent-parallel/")]
    [InlineData("/api/v1/ws/intelligent-parallel/")]
    public async Task A_plain_http_request_on_a_socket_path_is_told_to_connect_with_a_websocket(string prefix)
    {
        var id = await StartHungSessionAsync("n001");

        using var response = await Server.Client.GetAsync(prefix + id);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("invalid_request", problem["error"]!.GetValue<string>());
        Assert.Contains("WebSocket", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_below_a_sessions_socket_is_not_found_as_in_the_rest_of_the_api()
    {
        var id = await StartHungSessionAsync("n001");

        using var response = await Server.Client.GetAsync($"/ws/intelligent-parallel/{id}/more");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("not_found", problem["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_socket_path_with_a_trailing_slash_streams_the_session()
    {
        var id = await StartHungSessionAsync("n001");

        await using var ws = await WsClient.ConnectAsync(Server.BaseAddress, $"/ws/intelligent-parallel/{id}/");
        var connected = await ExpectAsync(ws, "connected");

        Assert.Equal(id, connected["session_id"]!.GetValue<string>());
        Assert.Equal(1, Data(connected)["total_nodes"]!.GetValue<int>());
    }
}
