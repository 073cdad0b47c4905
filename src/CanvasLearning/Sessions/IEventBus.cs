
namespace CanvasLearning.Sessions;

/// <summary>
/// Live fan-out of logged events. The store publishes what it commits, once committed, in commit
/// order (so in <c>seq</c> order per session). The in-process bus is the default.
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
