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
        var group = app.MapGroup(BasePath).WithTags("intelligent-parallel");
        group.MapPost("/", AnalyzeAsync).WithName("Analyze").WithSummary("Group the canvas nodes of a color and recommend an agent per group");
        group.MapPost("/confirm", ConfirmAsync).WithName("Confirm").WithSummary("Start a session for the confirmed groups");
        group.MapGet("/", ListAsync).WithName("ListSessions").WithSummary("Sessions, newest first, paged");
        group.MapGet("/{session_id}", GetAsync).WithName("GetSession").WithSummary("Poll a session's progress and results");
        group.MapPost("/cancel/{session_id}", CancelAsync).WithName("CancelSession").WithSummary("Cancel a running session");
        group.MapPost("/{session_id}/retry", RetryAsync).WithName("RetrySession").WithSummary("Run the failed and cancelled nodes of an ended session again");
        app.MapPost("/api/v1/canvas/single-agent", SingleAsync).WithTags("single-agent").WithName("SingleAgent").WithSummary("Explain one node now");
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
        var snapshot = await service.ConfirmAsync(request, cancellationToken);
        var answer = SessionViews.Confirm(snapshot, service.EstimateCompletion(snapshot), http);
        return TypedResults.Accepted($"{BasePath}/{snapshot.Session.SessionId}", answer);
    }

    private static async Task<Ok<SessionStatusResponse>> GetAsync(string session_id, BatchService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(SessionViews.Status(await service.GetAsync(session_id, cancellationToken)));

    private static async Task<Ok<SessionListResponse>> ListAsync(ISessionStore store, CancellationToken cancellationToken, int? page = null, int? page_size = null)
    {
        var errors = new FieldErrors();
        if (page is < 1)
        {
            errors.Add("page", "must be 1 or more");
        }

        if (page_size is < 1 or > 100)
        {
            errors.Add("page_size", "must be between 1 and 100");
        }

        errors.ThrowIfAny();
        var (p, size) = (page ?? 1, page_size ?? 20);
        var result = await store.ListAsync((p - 1) * size, size, cancellationToken);
        return TypedResults.Ok(new SessionListResponse(result.Sessions.Select(SessionViews.ListItem).ToList(), p, size, result.Total));
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
