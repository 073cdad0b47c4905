namespace CanvasLearning.Dashboard;

/// <summary>The dashboard's log messages (event ids 4001..4099).</summary>
internal static partial class DashboardLog
{
    [LoggerMessage(4001, LogLevel.Warning, "Canvas {Path} could not be read for the dashboard's list")]
    public static partial void CanvasUnreadable(ILogger logger, string path, Exception exception);
}
