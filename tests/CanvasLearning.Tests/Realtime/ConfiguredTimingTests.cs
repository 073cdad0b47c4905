using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CanvasLearning.Tests.Realtime.Wire;

namespace CanvasLearning.Tests.Realtime;

/// <summary>The heartbeat, idle timeout and retry_after follow their settings (on a <see cref="FakeTimeProvider"/> clock).</summary>
public sealed class ConfiguredTimingTests() : RealtimeTestBase(purpleNodes: 2)
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    protected override Dictionary<string, string?> Settings() => new()
    {
        ["Realtime:HeartbeatIntervalSeconds"] = "5",
        ["Realtime:IdleTimeoutSeconds"] = "12",
        ["Realtime:RetryAfterSeconds"] = "7",
        ["Engine:NodeTimeoutSeconds"] = "3600",
    };

    protected override void Configure(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    [Fact]
    public async Task The_heartbeat_idle_timeout_and_retry_after_follow_the_settings()
    {
        var id = await StartHungSessionAsync("n001");
        await using var ws = await ConnectAsync(Server, id);
        Assert.Equal(5, Data(await ExpectAsync(ws, "connected"))["heartbeat_interval"]!.GetValue<int>());

        _clock.Advance(TimeSpan.FromSeconds(5));
        await ExpectAsync(ws, "ping");
        _clock.Advance(TimeSpan.FromSeconds(5));
        await ExpectAsync(ws, "ping");

        _clock.Advance(TimeSpan.FromSeconds(2));
        var frames = await ReadToCloseAsync(ws, (WebSocketCloseStatus)4408);
        var data = Data(frames[^1]);
        Assert.Equal("idle_timeout", data["error_type"]!.GetValue<string>());
        Assert.Equal(7, data["retry_after"]!.GetValue<int>());
        await CancelAsync(id);
    }
}
