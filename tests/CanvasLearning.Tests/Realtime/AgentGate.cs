using CanvasLearning.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CanvasLearning.Tests.Realtime;

/// <summary>
/// Holds every call of a <see cref="ScriptedAgentProvider"/> on the agent's own fake clock until
/// <see cref="Open"/>, so the clients of a test are all connected before the session's events begin.
/// Only the agent's clock is fake; the server runs on real time.
/// </summary>
internal sealed class AgentGate : IAsyncDisposable
{
    private static readonly TimeSpan Held = TimeSpan.FromDays(1);
    private readonly FakeTimeProvider _clock = new();
    private CancellationTokenSource? _opening;
    private Task _advancing = Task.CompletedTask;

    public AgentGate() => Agent = new ScriptedAgentProvider(_clock) { Delay = Held };

    public ScriptedAgentProvider Agent { get; }

    /// <summary>Calls that start from now on wait until <see cref="Open"/>.</summary>
    public async Task HoldAsync()
    {
        await StopAdvancingAsync();
        Agent.Delay = Held;
    }

    /// <summary>
    /// Lets every call through: new calls answer at once, and the clock keeps moving on (until held
    /// again) so a call that read the old delay just before the switch ends too.
    /// </summary>
    public void Open()
    {
        Agent.Delay = TimeSpan.Zero;
        if (_opening is not null)
        {
            return;
        }

        _opening = new CancellationTokenSource();
        var stop = _opening.Token;
        _advancing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                _clock.Advance(Held);
                await Task.Delay(5, CancellationToken.None);
            }
        }, CancellationToken.None);
    }

    /// <summary>Forgets the starts signalled so far, so the next wait counts only new calls.</summary>
    public void ForgetStarts()
    {
        while (Agent.Started.Wait(0))
        {
        }
    }

    public async Task WaitForStartsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await Agent.Started.WaitAsync(Wire.Within), $"only {i} of {count} agent calls started");
        }
    }

    public async ValueTask DisposeAsync() => await StopAdvancingAsync();

    private async Task StopAdvancingAsync()
    {
        if (_opening is { } opening)
        {
            await opening.CancelAsync();
            await _advancing;
            opening.Dispose();
            _opening = null;
        }
    }
}
