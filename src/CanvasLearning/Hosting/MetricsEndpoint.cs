using CanvasLearning.Agents.OpenAi;
using CanvasLearning.Realtime;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace CanvasLearning.Hosting;

/// <summary>
/// <c>GET /metrics</c> in the Prometheus text format (OpenTelemetry's exporter): the service's own
/// meters (WebSocket fan-out, the model provider) and ASP.NET Core's and Kestrel's request and
/// connection meters. Needs the API key when <c>Security:ApiKey</c> is set.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static IServiceCollection AddMetricsEndpoint(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("canvas-learning"))
            .WithMetrics(metrics => metrics
            .AddMeter(RealtimeMetrics.MeterName, AgentMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());
        return services;
    }

    public static WebApplication MapMetricsEndpoint(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(Path);
        return app;
    }
}
