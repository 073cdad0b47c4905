using System.Text.Encodings.Web;
using CanvasLearning.Api;
using CanvasLearning.Dashboard;
using CanvasLearning.Realtime;
using CanvasLearning.Security;

namespace CanvasLearning.Hosting;

/// <summary>Builds the HTTP service: the same features as the command line, behind Kestrel.</summary>
public static class ServerApp
{
    /// <param name="settings">Configuration that wins over files and environment (from command-line options, or tests).</param>
    public static WebApplication Build(IDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddCanvasLearningDefaults();
        builder.Configuration.AddJsonFile("appsettings.json", optional: true);
        builder.Configuration.AddEnvironmentVariables("CANVAS_LEARNING_");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, AppJsonContext.Default);
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            // Errors the framework raises itself (routing, content type, binding) get the same
            // shape as ours: an error code and a detail that says what to do.
            c.ProblemDetails.Extensions.TryAdd("error", c.ProblemDetails.Status switch
            {
                404 => "not_found",
                405 => "method_not_allowed",
                415 => "invalid_request",
                >= 500 => "internal_error",
                _ => "invalid_request",
            });
            c.ProblemDetails.Detail ??= c.ProblemDetails.Status switch
            {
                404 => "no such resource; the API is described at /openapi/v1.json",
                405 => "this route does not take that method; the API is described at /openapi/v1.json",
                415 => "send the body as JSON with 'Content-Type: application/json'",
                >= 500 => "the server failed to handle the request; it has been logged, try again",
                _ => "the request is not valid; the API is described at /openapi/v1.json",
            };
        });
        builder.Services.AddOpenApi();
        builder.Services.AddCanvasLearning(builder.Configuration);
        builder.Services.AddRealtime(builder.Configuration);
        builder.Services.AddApiCors();
        builder.Services.AddMetricsEndpoint();
        builder.Services.AddDashboard(builder.Configuration);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseApiCors();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseRealtime();
        app.MapOpenApi();
        app.MapGet("/healthz", () => TypedResults.Text("ok")).ExcludeFromDescription();
        app.MapMetricsEndpoint();
        var api = app.MapGroup("").AddEndpointFilter(ProblemFilter.InvokeAsync);
        api.MapIntelligentParallel();
        app.MapDashboard();
        return app;
    }
}
