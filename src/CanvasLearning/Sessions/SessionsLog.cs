namespace CanvasLearning.Sessions;

internal static partial class SessionsLog
{
    [LoggerMessage(4001, LogLevel.Error, "Publishing {Count} committed event(s) failed; watchers will read them from the log")]
    public static partial void PublishFailed(ILogger logger, int count, Exception exception);
}
