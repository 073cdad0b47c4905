using System.Text.Encodings.Web;
using CanvasLearning.Api;
using CanvasLearning.Dashboard;
using CanvasLearning.Realtime;
using CanvasLearning.Security;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Hosting;

/// <summary>Builds the HTTP service: the same features as the command line, behind Kestrel.</summary>
public static class ServerApp
{
    /// <param name="settings">Configuration that wins over files and environment (from command-line options, or tests).</param>
    public static WebApplication Build(IDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null) =>
        Build(CreateBuilder(settings), configureServices);

    /// <summary>The builder with its configuration, apart so that a caller can read the configuration when <see cref="Build(WebApplicationBuilder, Action{IServiceCollection}?)"/> refuses it.</summary>
    public static WebApplicationBuilder CreateBuilder(IDictionary<string, string?> settings)
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
        return builder;
    }

    /// <summary>
    /// Registers the features and builds the app. Every setting is validated here, before anything
    /// starts or logs: a bad one throws (<see cref="OptionsValidationException"/>, or the binder's
    /// <see cref="InvalidOperationException"/>), which <see cref="SettingsProblems"/> turns into lines.
    /// </summary>
    public static WebApplication Build(WebApplicationBuilder builder, Action<IServiceCollection>? configureServices = null)
    {
        builder.WebHost.UseKestrelHttpsConfiguration();

        // The slim builder pins the simple console formatter. Bound again after it, Logging:Console:FormatterName
        // (json, systemd) works as in a full host, for log collectors that read one JSON object per line.
        builder.Logging.AddConsole();
        builder.Services.Configure<ConsoleLoggerOptions>(builder.Configuration.GetSection("Logging:Console"));
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, AppJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(1, Sessions.EventJsonContext.Default);
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

        // Last, so that every log provider (a test's too) is behind it.
        builder.Services.AddLogRedaction(builder.Configuration);

        var app = builder.Build();

        // The host validates at start too, but only after logging the failure with its stack trace; and
        // the middleware below reads options already.
        app.Services.GetService<IStartupValidator>()?.Validate();

        // The sockets first: a connection holds whatever its request went through for as long as it lives.
        app.UseRealtime();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseApiCors();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapOpenApi();
        app.MapGet("/healthz", () => TypedResults.Text("ok")).ExcludeFromDescription();
        app.MapMetricsEndpoint();
        var api = app.MapGroup("").AddEndpointFilter(ProblemFilter.InvokeAsync);
        api.MapIntelligentParallel();
        app.MapDashboard();
        return app;
    }
}
