namespace CanvasLearning.Realtime;

internal static partial class RealtimeLog
{
    [LoggerMessage(2001, LogLevel.Debug, "WebSocket opened for session {SessionId} (after seq {AfterSeq})")]
    public static partial void Opened(ILogger logger, string sessionId, long afterSeq);

    [LoggerMessage(2002, LogLevel.Debug, "WebSocket closed for session {SessionId}")]
    public static partial void Closed(ILogger logger, string sessionId);

    [LoggerMessage(2003, LogLevel.Information, "WebSocket refused for session {SessionId}: {Reason} ({Code})")]
    public static partial void Refused(ILogger logger, string sessionId, string reason, int code);

    [LoggerMessage(2004, LogLevel.Warning, "WebSocket for session {SessionId} closed with 4008 after seq {Seq}: {Cause}")]
    public static partial void SlowConsumer(ILogger logger, string sessionId, long seq, string cause);

    [LoggerMessage(2005, LogLevel.Debug, "WebSocket for session {SessionId} closed after the idle timeout")]
    public static partial void IdleClosed(ILogger logger, string sessionId);

    [LoggerMessage(2006, LogLevel.Information, "Closing {Count} WebSocket connection(s) for shutdown")]
    public static partial void ShuttingDown(ILogger logger, int count);

    [LoggerMessage(2008, LogLevel.Information, "WebSocket request GET {Path}{QueryString} from {RemoteEndPoint}")]
    public static partial void Request(ILogger logger, string path, string queryString, string? remoteEndPoint);

    [LoggerMessage(2007, LogLevel.Error, "Fan-out pass for session {SessionId} failed")]
    public static partial void FanOutFailed(ILogger logger, string sessionId, Exception exception);
}
