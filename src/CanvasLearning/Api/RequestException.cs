namespace CanvasLearning.Api;

/// <summary>
/// A request the service refuses, with the problem-details <c>error</c> code of DESIGN.md and, for
/// validation, the fields at fault. Thrown by the application layer; turned into RFC 9457 by the API.
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

/// <summary>Collects field errors so one answer names every bad field at once.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public void Add(string field, string message) =>
        _errors[field] = _errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            var detail = string.Join("; ", _errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
            throw new RequestException(StatusCodes.Status400BadRequest, "invalid_request", detail, _errors);
        }
    }
}
