using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using CanvasLearning.Tests.Support;
using Microsoft.Extensions.Options;
using static CanvasLearning.Tests.Api.ApiCalls;
using static CanvasLearning.Tests.Realtime.Wire;

namespace CanvasLearning.Tests.Realtime;

/// <summary>With <c>Security:ApiKey</c> set: REST needs it as a bearer token, the WebSocket as <c>access_token</c>; /healthz stays open.</summary>
public sealed class ApiKeyTests() : RealtimeTestBase(purpleNodes: 4)
{
    private const string Key = "test-key-0123456789-abcdef";

    protected override Dictionary<string, string?> Settings() => new() { ["Security:ApiKey"] = Key };

    [Fact]
    public async Task The_stream_needs_the_key_as_access_token()
    {
        Server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var id = await StartHungSessionAsync("n001");

        await AssertRefusedAsync(Server, id, (WebSocketCloseStatus)4001);
        await AssertRefusedAsync(Server, id, (WebSocketCloseStatus)4001, "?access_token=wrong-key-0123456789-abcdef");
        await AssertRefusedAsync(Server, id, (WebSocketCloseStatus)4001, $"?access_token={Key[..^1]}");
        await AssertRefusedAsync(Server, id, (WebSocketCloseStatus)4001, $"?access_token={Key}x");
        await AssertRefusedAsync(Server, id, (WebSocketCloseStatus)4003, $"?access_token={Key}", origin: "http://evil.example");

        await AssertServesAsync(Server, id, $"?access_token={Key}&last_seq=0");
        await AssertServesAsync(Server, id, $"?last_seq=0&access_token={Uri.EscapeDataString(Key)}", origin: "app://obsidian.md");
        await CancelAsync(id);
    }

    [Fact]
    public async Task Metrics_need_the_key_too()
    {
        using var anonymous = new HttpClient { BaseAddress = Server.BaseAddress };
        using (var response = await anonymous.GetPathAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using var allowed = await anonymous.GetPathAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task REST_without_the_bearer_key_is_a_401_problem_and_with_it_succeeds()
    {
        using var anonymous = new HttpClient { BaseAddress = Server.BaseAddress };
        using (var response = await anonymous.GetPathAsync(Base))
        {
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, Base))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-key-0123456789-abcdef");
            using var response = await anonymous.SendAsync(request);
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, Base))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
            using var response = await anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var health = await anonymous.GetPathAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("ok", await health.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_key_shorter_than_16_characters_stops_the_server_at_start()
    {
        using var vault = new TestVault(purpleNodes: 1);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TestServer.StartAsync(vault, settings: new Dictionary<string, string?> { ["Security:ApiKey"] = "too-short" }));

        Assert.Contains("Security:ApiKey", error.Message, StringComparison.Ordinal);
    }
}
