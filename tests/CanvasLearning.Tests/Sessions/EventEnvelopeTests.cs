using System.Text;
using System.Text.Json.Nodes;
using CanvasLearning.Sessions;

namespace CanvasLearning.Tests.Sessions;

/// <summary>Envelopes are written with a writer each thread keeps: each one is whole and its own, whatever came before.</summary>
public sealed class EventEnvelopeTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 8, 30, 5, 123, TimeSpan.FromHours(8));

    [Fact]
    public void Envelopes_made_one_after_another_each_carry_only_their_own_fields()
    {
        var first = EventEnvelope.CreateUtf8(EventTypes.Error, "s-1", null, At, new ErrorData("invalid_last_seq", "a long message " + new string('x', 300), true, null),
            EventJsonContext.Default.ErrorData);
        var second = EventEnvelope.Create<object>(EventTypes.Ping, "s-2", 7, At, null, null);

        var error = JsonNode.Parse(Encoding.UTF8.GetString(first))!.AsObject();
        Assert.Equal(["data", "session_id", "task_id", "timestamp", "type"], error.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("s-1", error["session_id"]!.GetValue<string>());
        Assert.Equal("invalid_last_seq", error["data"]!["error_type"]!.GetValue<string>());
        Assert.Equal("""{"type":"ping","session_id":"s-2","task_id":"s-2","seq":7,"timestamp":"2026-12-01T00:30:05.123Z"}""", second);
    }

    [Fact]
    public void A_large_envelope_then_a_small_one_are_both_whole_and_non_ascii_is_written_as_is()
    {
        var message = "似懂非懂 " + new string('长', 40_000);
        var large = EventEnvelope.Create(EventTypes.Error, "s-1", 1, At, new ErrorData("agent_error", message, false, null), EventJsonContext.Default.ErrorData);
        var small = EventEnvelope.CreateUtf8<object>(EventTypes.Pong, "s-1", null, At, null, null);

        Assert.Equal(message, JsonNode.Parse(large)!["data"]!["message"]!.GetValue<string>());
        Assert.Equal("""{"type":"pong","session_id":"s-1","task_id":"s-1","timestamp":"2026-12-01T00:30:05.123Z"}""", Encoding.UTF8.GetString(small));
    }

    [Fact]
    public async Task Threads_making_envelopes_at_once_never_mix_them()
    {
        using var start = new Barrier(4);
        var made = await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return Enumerable.Range(0, 20_000).Select(i => (t, i, EventEnvelope.Create<object>(EventTypes.Ping, $"s-{t}", i, At, null, null))).ToList();
        }, TaskCreationOptions.LongRunning)));

        Assert.All(made.SelectMany(list => list), e =>
        {
            var node = JsonNode.Parse(e.Item3)!;
            Assert.Equal($"s-{e.t}", node["session_id"]!.GetValue<string>());
            Assert.Equal(e.i, node["seq"]!.GetValue<long>());
        });
    }
}
