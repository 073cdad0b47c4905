using System.Net.WebSockets;
using CanvasLearning.Realtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Tests.Realtime;

/// <summary>The registry's side of shutdown, without sockets or timing: what it waits for.</summary>
public sealed class ConnectionRegistryTests
{
    /// <summary>
    /// A connection counts from the moment it is admitted, not from when its run begins: a connection
    /// still reading its snapshot or sending <c>connected</c> and the log when the server stops must
    /// be waited for too. Shutdown used to treat it as already finished, stop waiting at once and cut
    /// every connection's close handshake short, so clients were reset instead of reading
    /// <c>server_shutdown</c> and 1012 (the flaky <see cref="SigtermTests"/>).
    /// </summary>
    [Fact]
    public async Task Shutdown_waits_for_a_connection_admitted_before_its_run_began()
    {
        var options = new RealtimeOptions { ShutdownTimeoutSeconds = 120 };
        using var metrics = new RealtimeMetrics();
        using var registry = new ConnectionRegistry(Options.Create(options), metrics, TimeProvider.System);
        using var socket = WebSocket.CreateFromStream(Stream.Null, new WebSocketCreationOptions { IsServer = true });
        using var fanOut = new FanOut(NullLogger<FanOut>.Instance);

        // The store is only read once the connection runs, and this one never does.
        using var connection = new SessionConnection(socket, new UpgradedStream(Stream.Null), "ip-20261126-000000-00000000", null!, new SessionTail("ip-20261126-000000-00000000", fanOut), options, metrics, TimeProvider.System, NullLogger.Instance);
        Assert.Null(registry.TryAdd(connection));

        var shutdown = registry.ShutdownAsync(CancellationToken.None);

        Assert.True(connection.Closing, "the connection was not told to close");
        Assert.False(shutdown.IsCompleted, "shutdown did not wait for the connection to end");
        registry.Remove(connection);
        await shutdown.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, metrics.OpenConnections);
    }
}
