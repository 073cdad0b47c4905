using Microsoft.AspNetCore.Http.HttpResults;

namespace CanvasLearning.Security;

/// <summary>With an API key configured, REST calls and metrics scrapes must carry it as a bearer token (sockets: <c>access_token</c>).</summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, AccessPolicy policy)
{
    /// <remarks>Not async on the way through: a long request (a WebSocket) keeps no state of this middleware.</remarks>
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        // The WebSocket under /api checks its own access_token (a browser cannot set headers on one).
        var guarded = (path.StartsWithSegments("/api", StringComparison.Ordinal) && !path.StartsWithSegments(Realtime.RealtimeEndpoints.ApiPrefix, StringComparison.Ordinal))
            || path.StartsWithSegments(Hosting.MetricsEndpoint.Path, StringComparison.Ordinal);
        return !policy.RequiresKey || !guarded || policy.IsValidKey(Bearer(context)) ? next(context) : RefuseAsync(context);
    }

    private static async Task RefuseAsync(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        ProblemHttpResult problem = TypedResults.Problem(
            "this server needs an API key: send 'Authorization: Bearer <key>' (setting Security:ApiKey)",
            statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
            extensions: new Dictionary<string, object?> { ["error"] = "unauthorized" });
        await problem.ExecuteAsync(context);
    }

    private static string? Bearer(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}
