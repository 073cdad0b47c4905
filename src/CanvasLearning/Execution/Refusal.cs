namespace CanvasLearning.Execution;

/// <summary>Why the service refuses a request, independent of how it is carried (HTTP status, CLI exit code).</summary>
public enum RefusalKind
{
    /// <summary>The request itself is wrong (a field, a value).</summary>
    Invalid,

    /// <summary>What it names does not exist.</summary>
    NotFound,

    /// <summary>It does not fit the session's state now.</summary>
    Conflict,

    /// <summary>Its input (the canvas) cannot be processed.</summary>
    Unprocessable,
}

/// <summary>
/// A request the service refuses, with the contract's <c>error</c> code (DESIGN.md) and, for
/// validation, the fields at fault. The API turns it into problem details, the command line into a line.
/// </summary>
public sealed class RefusalException(RefusalKind kind, string error, string detail, IReadOnlyDictionary<string, string[]>? fields = null)
    : Exception(detail)
{
    public RefusalKind Kind { get; } = kind;

    public string Error { get; } = error;

    public IReadOnlyDictionary<string, string[]>? Fields { get; } = fields;

    public static RefusalException Invalid(string field, string message) =>
        new(RefusalKind.Invalid, "invalid_request", $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });

    public static RefusalException SessionNotFound(string sessionId) =>
        new(RefusalKind.NotFound, "session_not_found", $"no session '{sessionId}'; list sessions with GET /api/v1/canvas/intelligent-parallel");
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
            throw new RefusalException(RefusalKind.Invalid, "invalid_request", detail, _errors);
        }
    }
}
