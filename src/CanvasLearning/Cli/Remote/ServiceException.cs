namespace CanvasLearning.Cli.Remote;

/// <summary>
/// A call to the service that did not work: refused (problem details: its <c>error</c> code and the
/// server's detail) or not answered at all. <see cref="Exception.Message"/> is one line for people:
/// what went wrong and what to do.
/// </summary>
internal sealed class ServiceException(string message, string error, int? status = null) : Exception(message)
{
    /// <summary>The problem-details <c>error</c> code, or <c>unreachable</c>, <c>unauthorized</c>, <c>bad_answer</c>.</summary>
    public string Error { get; } = error;

    public int? Status { get; } = status;

    /// <summary>The one line printed for it.</summary>
    public string Line => $"error ({Error}): {Message}";
}
