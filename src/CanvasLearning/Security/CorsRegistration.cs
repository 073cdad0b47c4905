using Microsoft.AspNetCore.Cors.Infrastructure;

namespace CanvasLearning.Security;

/// <summary>
/// CORS for REST, with the WebSocket's Origin allow-list (<see cref="AccessPolicy.IsAllowedOrigin"/>):
/// a page in Obsidian (<c>app://obsidian.md</c>, <c>capacitor://localhost</c>), on loopback or on a
/// configured origin may call the API; other origins get no CORS headers, so their browser refuses.
/// Preflights are answered before the API key is checked (a browser never sends credentials on one).
/// </summary>
public static class CorsRegistration
{
    public static IServiceCollection AddApiCors(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<AccessPolicy>((cors, access) => cors.AddDefaultPolicy(policy => policy
            .SetIsOriginAllowed(origin => access.IsAllowedOrigin(origin))
            .WithMethods("GET", "POST")
            .WithHeaders("content-type", "authorization")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return services;
    }

    /// <summary>Before the API key check, so preflights pass; the endpoints need nothing more.</summary>
    public static WebApplication UseApiCors(this WebApplication app)
    {
        app.UseCors();
        return app;
    }
}
