namespace CanvasLearning.Execution;

internal static partial class ExecutionLog
{
    [LoggerMessage(1001, LogLevel.Information, "Session {SessionId} running: {Todo} of {Total} nodes to do")]
    public static partial void SessionStarted(ILogger logger, string sessionId, int todo, int total);

    [LoggerMessage(1002, LogLevel.Information, "Session {SessionId} {Outcome}")]
    public static partial void SessionFinished(ILogger logger, string sessionId, string outcome);

    [LoggerMessage(1003, LogLevel.Information, "Session {SessionId} suspended by shutdown; it resumes on next start")]
    public static partial void SessionSuspended(ILogger logger, string sessionId);

    [LoggerMessage(1004, LogLevel.Error, "Session {SessionId} stopped by an unexpected error")]
    public static partial void SessionCrashed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(1005, LogLevel.Warning, "Shutdown did not wait for {Count} session run(s) to stop")]
    public static partial void ShutdownAbandoned(ILogger logger, int count);

    [LoggerMessage(1006, LogLevel.Information, "Session {SessionId}: removed {Count} temporary file(s) an interrupted write left in {Folder}")]
    public static partial void StaleTempFilesDeleted(ILogger logger, string sessionId, int count, string folder);

    [LoggerMessage(1010, LogLevel.Debug, "Session {SessionId}: node {NodeId} done in {DurationMs} ms")]
    public static partial void NodeCompleted(ILogger logger, string sessionId, string nodeId, long durationMs);

    [LoggerMessage(1011, LogLevel.Warning, "Session {SessionId}: node {NodeId} failed ({ErrorType}): {Message}")]
    public static partial void NodeFailed(ILogger logger, string sessionId, string nodeId, string errorType, string message);

    [LoggerMessage(1013, LogLevel.Error, "Session {SessionId}: node {NodeId} stopped by an unexpected error")]
    public static partial void NodeCrashed(ILogger logger, Exception exception, string sessionId, string nodeId);

    [LoggerMessage(1012, LogLevel.Information, "Session {SessionId}: node {NodeId} attempt {Attempt} failed ({ErrorType}); retrying")]
    public static partial void NodeRetrying(ILogger logger, string sessionId, string nodeId, int attempt, string errorType);
}
