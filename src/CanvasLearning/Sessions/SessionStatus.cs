namespace CanvasLearning.Sessions;

/// <summary>Session statuses as they appear on the wire: pending → running → a terminal one.</summary>
public static class SessionStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string PartialFailure = "partial_failure";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static bool IsTerminal(string status) =>
        status is Completed or PartialFailure or Failed or Cancelled;

    /// <summary>The terminal status that the node outcomes call for.</summary>
    public static string FromOutcome(int succeeded, int failed) =>
        failed == 0 ? Completed : succeeded == 0 ? Failed : PartialFailure;
}

/// <summary>Statuses of one node inside a session.</summary>
public static class NodeStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static bool IsFinished(string status) => status is Completed or Failed or Cancelled;
}
