using CanvasLearning.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CanvasLearning.Dashboard;

/// <summary>
/// <c>/api/v1/vault</c>: what the dashboard needs of the vault besides the session API. Under
/// <c>/api</c>, so the API key guards it like the rest.
/// </summary>
public static class VaultEndpoints
{
    public const string BasePath = "/api/v1/vault";

    public static IEndpointRouteBuilder MapVault(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath).WithTags("vault").AddEndpointFilter(ProblemFilter.InvokeAsync)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/canvases", ListCanvasesAsync).WithName("ListCanvases")
            .WithSummary("The vault's canvases: path, size, modified time, text nodes per color");
        group.MapGet("/render", RenderAsync).WithName("RenderNote")
            .WithSummary("A Markdown note of the vault as sanitized HTML (read-only)");
        return app;
    }

    private static async Task<Ok<CanvasListResponse>> ListCanvasesAsync(VaultCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(await catalog.ListAsync(cancellationToken));

    private static async Task<Ok<RenderedNote>> RenderAsync(NoteRenderer renderer, CancellationToken cancellationToken, string? path = null) =>
        TypedResults.Ok(await renderer.RenderAsync(path, cancellationToken));
}
