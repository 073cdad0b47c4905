using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace CanvasLearning.Tests.Dashboard;

/// <summary>
/// Test-only: while <see cref="Refuse"/> is set, every WebSocket upgrade is answered 503 before it
/// reaches the service (a proxy that blocks upgrades); REST goes through. It sits in the web
/// server's pipeline, so the server runs with its sockets there too (<see cref="Settings"/>).
/// </summary>
internal sealed class SocketRefusal : IStartupFilter
{
    /// <summary>The sockets through the web server's pipeline, where this filter sees them.</summary>
    public static Dictionary<string, string?> Settings => new() { ["Realtime:DirectSockets"] = "false" };

    public volatile bool Refuse = true;

    public int Refused => Volatile.Read(ref _refused);

    private int _refused;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, following) =>
        {
            if (Refuse && string.Equals(context.Request.Headers.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase))
            {
                Interlocked.Increment(ref _refused);
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            await following(context);
        });
        next(app);
    };
}
