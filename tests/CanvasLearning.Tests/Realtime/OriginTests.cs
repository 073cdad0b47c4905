using System.Net.WebSockets;
using static CanvasLearning.Tests.Realtime.Wire;

namespace CanvasLearning.Tests.Realtime;

/// <summary>The Origin allow-list: loopback origins on any port, <c>app://obsidian.md</c>, and clients that send no Origin.</summary>
public sealed class OriginTests() : RealtimeTestBase(purpleNodes: 4)
{
    [Theory]
    [InlineData(null)]
    [InlineData("http://localhost:1234")]
    [InlineData("http://127.0.0.1:5")]
    [InlineData("https://localhost")]
    [InlineData("http://[::1]:8080")]
    [InlineData("app://obsidian.md")]
    public async Task An_allowed_origin_is_served(string? origin)
    {
        var id = await StartHungSessionAsync("n001");

        await AssertServesAsync(Server, id, origin: origin);

        await CancelAsync(id);
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("https://obsidian.md")]
    [InlineData("app://obsidian.md.evil.example")]
    [InlineData("http://localhost.evil.example")]
    [InlineData("http://127.0.0.1.evil.example")]
    [InlineData("null")]
    public async Task Another_origin_is_closed_with_4003(string origin)
    {
        var id = await StartHungSessionAsync("n002");

        await AssertRefusedAsync(Server, id, (WebSocketCloseStatus)4003, origin: origin);

        await AssertStillServesAsync();
        await CancelAsync(id);
    }
}
