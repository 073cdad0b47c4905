using CanvasLearning.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Realtime;

public static class RealtimeRegistration
{
    public static IServiceCollection AddRealtime(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RealtimeOptions>().Bind(configuration.GetSection(RealtimeOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.KeepAliveTimeoutSeconds >= o.KeepAliveIntervalSeconds, "Realtime:KeepAliveTimeoutSeconds must be at least Realtime:KeepAliveIntervalSeconds")
            .ValidateOnStart();
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        // Read raw, not through the validated options: the web server reads this before the start-up
        // check reports every bad setting at once (a bad value is reported there, and means false here).
        services.Configure<SocketTransportOptions>(socket => socket.UnsafePreferInlineScheduling |=
            bool.TryParse(configuration[$"{RealtimeOptions.Section}:{nameof(RealtimeOptions.InlineSocketScheduling)}"], out var inline) && inline);
        services.AddSingleton<AccessPolicy>();
        services.AddSingleton<RealtimeMetrics>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<FanOut>();
        services.AddSingleton<SessionTails>();
        services.AddSingleton<Watchers>();
        // Every endpoint's connections pass the socket listener first (TLS endpoints add their layer
        // after it, so it sees their bytes as not ours and steps aside). Read raw, as above.
        if (!bool.TryParse(configuration[$"{RealtimeOptions.Section}:{nameof(RealtimeOptions.DirectSockets)}"], out var direct) || direct)
        {
            services.Configure<KestrelServerOptions>(kestrel => kestrel.ConfigureEndpointDefaults(endpoint =>
                endpoint.Use(next => new SocketListener(next, endpoint.ApplicationServices).OnConnectedAsync)));
        }
        services.AddHostedService<RealtimeShutdown>();
        return services;
    }

    /// <summary>
    /// WebSocket support with protocol-level keep-alive that drops dead peers, then the endpoint. Call
    /// it first: the sockets' branch goes through no other middleware (see <see cref="RealtimeEndpoints"/>).
    /// </summary>
    public static WebApplication UseRealtime(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<RealtimeOptions>>().Value;

        // Before the WebSocket middleware reads the upgrade feature: our sockets write through a
        // stream that can send many frames with one flush.
        app.Use((context, next) =>
        {
            if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
            {
                context.Features.Set<IHttpUpgradeFeature>(new UpgradedStreamFeature(upgrade));
            }

            return next(context);
        });
        app.UseWebSockets(new WebSocketOptions
        {
            KeepAliveInterval = TimeSpan.FromSeconds(options.KeepAliveIntervalSeconds),
            KeepAliveTimeout = TimeSpan.FromSeconds(options.KeepAliveTimeoutSeconds),
        });
        app.UseMiddleware<RealtimeEndpoints>();
        return app;
    }
}

/// <summary>
/// On shutdown, every connection gets <c>error</c> (<c>server_shutdown</c>) and close 1012, within a
/// bound. It runs in the host's "stopping" phase, before any service stops, so the web server is
/// still carrying the frames when the connections are told.
/// </summary>
internal sealed partial class RealtimeShutdown(ConnectionRegistry registry, ILogger<RealtimeShutdown> logger) : IHostedLifecycleService
{
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        RealtimeLog.ShuttingDown(logger, registry.Count);
        return registry.ShutdownAsync(cancellationToken);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
