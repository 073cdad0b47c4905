using CanvasLearning.Api.Contracts;
using CanvasLearning.Execution;
using CanvasLearning.Grouping;
using CanvasLearning.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CanvasLearning.Api;

/// <summary>The REST contract of DESIGN.md under <c>/api/v1/canvas</c>.</summary>
public static class IntelligentParallelEndpoints
{
    public const string BasePath = "/api/v1/canvas/intelligent-parallel";

    public static IEndpointRouteBuilder MapIntelligentParallel(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath).WithTags("intelligent-parallel")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/", AnalyzeAsync).Accepts<AnalyzeRequest>("application/json").WithName("Analyze").WithSummary("Group the canvas nodes of a color and recommend an agent per group");
        group.MapPost("/confirm", ConfirmAsync).Accepts<ConfirmRequest>("application/json").WithName("Confirm").WithSummary("Start a session for the confirmed groups");
        group.MapGet("/", ListAsync).WithName("ListSessions").WithSummary("Sessions, newest first, paged");
        group.MapGet("/{session_id}", GetAsync).WithName("GetSession").WithSummary("Poll a session's progress and results");
        group.MapPost("/cancel/{session_id}", CancelAsync).WithName("CancelSession").WithSummary("Cancel a running session");
        group.MapPost("/{session_id}/retry", RetryAsync).WithName("RetrySession").WithSummary("Run the failed and cancelled nodes of an ended session again");
        app.MapPost("/api/v1/canvas/single-agent", SingleAsync).Accepts<SingleAgentRequest>("application/json").WithTags("single-agent").WithName("SingleAgent").WithSummary("Explain one node now");
        return app;
    }

    private static async Task<Ok<AnalyzeResponse>> AnalyzeAsync(HttpRequest http, BatchService service, CancellationToken cancellationToken)
    {
        var request = await JsonBody.ReadAsync(http, AppJsonContext.Default.AnalyzeRequest, cancellationToken);
        return TypedResults.Ok(await service.AnalyzeAsync(request, cancellationToken));
    }

    private static async Task<Accepted<ConfirmResponse>> ConfirmAsync(HttpRequest http, BatchService service, CancellationToken cancellationToken)
    {
        var request = await JsonBody.ReadAsync(http, AppJsonContext.Default.ConfirmRequest, cancellationToken);
        var (snapshot, skipped) = await service.ConfirmAsync(request, cancellationToken);
        var answer = SessionViews.Confirm(snapshot, service.EstimateCompletion(snapshot), http) with { SkippedNodes = skipped };
        return TypedResults.Accepted($"{BasePath}/{snapshot.Session.SessionId}", answer);
    }

    private static async Task<Ok<SessionStatusResponse>> GetAsync(string session_id, BatchService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(SessionViews.Status(await service.GetAsync(session_id, cancellationToken)));

    private static async Task<Ok<SessionListResponse>> ListAsync(ISessionStore store, CancellationToken cancellationToken, string? page = null, string? page_size = null)
    {
        var errors = new FieldErrors();
        var p = ParseQuery(page, "page", 1, 1, int.MaxValue, errors);
        var size = ParseQuery(page_size, "page_size", 20, 1, 100, errors);
        errors.ThrowIfAny();
        var result = await store.ListAsync((p - 1L) * size, size, cancellationToken);
        return TypedResults.Ok(new SessionListResponse(result.Sessions.Select(SessionViews.ListItem).ToList(), p, size, result.Total));
    }

    /// <summary>Query values are read as text so a bad one is a 400 naming it, like a bad body field.</summary>
    private static int ParseQuery(string? value, string name, int fallback, int min, int max, FieldErrors errors)
    {
        if (value is null)
        {
            return fallback;
        }

        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }

        errors.Add(name, max == int.MaxValue ? $"must be a whole number, {min} or more" : $"must be a whole number between {min} and {max}");
        return fallback;
    }

    private static async Task<Ok<CancelResponse>> CancelAsync(string session_id, BatchService service, CancellationToken cancellationToken)
    {
        var snapshot = await service.CancelAsync(session_id, cancellationToken);
        var done = snapshot.CompletedNodes;
        return TypedResults.Ok(new CancelResponse(true,
            $"session {snapshot.Session.Status}; {done} of {snapshot.TotalNodes} nodes had completed and keep their results", done));
    }

    private static async Task<Accepted<ConfirmResponse>> RetryAsync(string session_id, HttpRequest http, BatchService service, CancellationToken cancellationToken)
    {
        var snapshot = await service.RetryAsync(session_id, cancellationToken);
        return TypedResults.Accepted($"{BasePath}/{session_id}", SessionViews.Confirm(snapshot, service.EstimateCompletion(snapshot), http));
    }

    private static async Task<Ok<SingleAgentResponse>> SingleAsync(HttpRequest http, BatchService service, CancellationToken cancellationToken)
    {
        var request = await JsonBody.ReadAsync(http, AppJsonContext.Default.SingleAgentRequest, cancellationToken);
        return TypedResults.Ok(await service.RunSingleAsync(request, cancellationToken));
    }
}
