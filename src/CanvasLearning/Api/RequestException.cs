namespace CanvasLearning.Api;

/// <summary>
/// A request the web layer refuses before it reaches the service (the body's media type or JSON,
/// a dashboard path), with the problem-details <c>error</c> code of DESIGN.md. The service's own
/// refusals are <see cref="Execution.RefusalException"/>s.
/// </summary>
public sealed class RequestException(int status, string error, string detail, IReadOnlyDictionary<string, string[]>? fields = null)
    : Exception(detail)
{
    public int Status { get; } = status;

    public string Error { get; } = error;

    public IReadOnlyDictionary<string, string[]>? Fields { get; } = fields;

    public static RequestException Invalid(string field, string message) =>
        new(StatusCodes.Status400BadRequest, "invalid_request", $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });

    public static RequestException SessionNotFound(string sessionId) =>
        new(StatusCodes.Status404NotFound, "session_not_found", $"no session '{sessionId}'; list sessions with GET /api/v1/canvas/intelligent-parallel");
}
