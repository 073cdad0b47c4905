using CanvasLearning.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace CanvasLearning.Dashboard;

/// <summary>
/// The web dashboard at <c>/</c>: static HTML, CSS and JavaScript modules embedded in the program
/// (<c>Dashboard/Assets</c>), and the vault calls it needs (<see cref="VaultEndpoints"/>).
/// </summary>
public static class DashboardRegistration
{
    // Nothing leaves the machine: scripts, styles, images and sockets only from this server.
    // ('self' covers ws:/wss: to the same host and port in CSP Level 3.)
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<VaultCatalog>();
        services.AddSingleton<NoteRenderer>();
        return services;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        var files = new ManifestEmbeddedFileProvider(typeof(DashboardRegistration).Assembly, "Dashboard/Assets");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // Revalidated each time (by ETag), so a new version of the program is never mixed with cached files.
                headers[HeaderNames.CacheControl] = "no-cache";
            },
        });
        // Open like the page itself: it only says whether the page must ask for the key before calling /api.
        app.MapGet("/dashboard/config", (AccessPolicy access) => TypedResults.Ok(new DashboardConfig(access.RequiresKey))).ExcludeFromDescription();
        app.MapVault();
        return app;
    }

    /// <summary>Where the dashboard is, once the server listens (for <c>serve</c> to print).</summary>
    public static string Url(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? "http://127.0.0.1:5080";
        return address.TrimEnd('/') + "/";
    }
}
