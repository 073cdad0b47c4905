using CanvasLearning.Sessions;

namespace CanvasLearning.Realtime;

/// <summary>Frames that are not logged events: they carry no <c>seq</c> and are made per connection.</summary>
internal static class ControlFrames
{
    public static byte[] Connected(string sessionId, DateTimeOffset now, ConnectedData data) =>
        EventEnvelope.CreateUtf8(EventTypes.Connected, sessionId, null, now, data, EventJsonContext.Default.ConnectedData);

    public static byte[] Ping(string sessionId, DateTimeOffset now) => Bare(EventTypes.Ping, sessionId, now);

    public static byte[] Pong(string sessionId, DateTimeOffset now) => Bare(EventTypes.Pong, sessionId, now);

    public static byte[] Error(string sessionId, DateTimeOffset now, string errorType, string message, bool recoverable, int? retryAfter = null) =>
        EventEnvelope.CreateUtf8(EventTypes.Error, sessionId, null, now, new ErrorData(errorType, message, recoverable, retryAfter), EventJsonContext.Default.ErrorData);

    private static byte[] Bare(string type, string sessionId, DateTimeOffset now) =>
        EventEnvelope.CreateUtf8<object>(type, sessionId, null, now, null, null);
}
