using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace CanvasLearning.Tests.Dashboard;

/// <summary>Test-only: remembers every WebSocket request so a test can cut them all (a TCP abort: no close frame, 1006 in the browser).</summary>
/// <remarks>It sits in the web server's pipeline, so the server runs with its sockets there too (<see cref="SocketRefusal.Settings"/>).</remarks>
internal sealed class SocketCutter : IStartupFilter
{
    private readonly ConcurrentDictionary<HttpContext, bool> _open = new();

    public int Cut()
    {
        var cut = 0;
        foreach (var context in _open.Keys)
        {
            context.Abort();
            cut++;
        }

        return cut;
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, following) =>
        {
            if (!string.Equals(context.Request.Headers.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase))
            {
                await following(context);
                return;
            }

            _open[context] = true;
            try
            {
                await following(context);
            }
            finally
            {
                _open.TryRemove(context, out _);
            }
        });
        next(app);
    };
}
