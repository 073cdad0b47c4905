using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CanvasLearning.Api;

/// <summary>
/// Reads a JSON body with the source-generated contract, so a malformed body is a 400 that names
/// the field at fault (<c>max_concurrent</c>) rather than a bare "bad request".
/// </summary>
internal static class JsonBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            throw new RequestException(StatusCodes.Status415UnsupportedMediaType, "invalid_request",
                "send the body as JSON with 'Content-Type: application/json'");
        }

        try
        {
            return await JsonSerializer.DeserializeAsync(request.Body, typeInfo, cancellationToken)
                ?? throw new RequestException(StatusCodes.Status400BadRequest, "invalid_request", "the body must be a JSON object, not null");
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
            var message = ex.Path is null or "$" ? "is not valid JSON" : "has the wrong type or is malformed";
            throw RequestException.Invalid(field, $"{message} (line {ex.LineNumber + 1})");
        }
    }
}
