using CanvasLearning.Sessions;

namespace CanvasLearning.Realtime;

/// <summary>
/// Live fan-out of logged events. Only events already committed to the log are published, in
/// <c>seq</c> order per session. The in-process bus is the default; Redis is the scale-out one.
/// </summary>
public interface IEventBus
{
    ValueTask PublishAsync(IReadOnlyList<SessionEvent> events, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="handler"/> for each event of the session published from now on. The handler
    /// runs on the publisher's thread and must not block (queue the event and return).
    /// </summary>
    IDisposable Subscribe(string sessionId, Action<SessionEvent> handler);
}
