using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Realtime;

/// <summary>
/// Takes a session's socket straight off a plain HTTP/1.1 connection, below the web server's
/// per-request machinery: a watcher may stay connected for hours, and everything its request went
/// through (the HTTP connection's state, headers, context, streams, the WebSocket middleware)
/// would stay alive with it. The first bytes of each new connection are looked at without being
/// taken: a valid WebSocket handshake for <c>/ws/intelligent-parallel/{id}</c> (or under
/// <c>/api/v1</c>) is answered here, and anything else (any other request, TLS, HTTP/2, a head this
/// reader does not accept) goes to the web server exactly as it arrived, where the same paths are
/// served by <see cref="RealtimeEndpoints"/>.
/// </summary>
internal sealed class SocketListener(ConnectionDelegate next, IServiceProvider services)
{
    // Made when the server builds each endpoint's connection pipeline, after the services are.
    private readonly Watchers _watchers = services.GetRequiredService<Watchers>();
    private readonly RealtimeOptions _options = services.GetRequiredService<IOptions<RealtimeOptions>>().Value;
    private readonly TimeProvider _time = services.GetRequiredService<TimeProvider>();
    private readonly TimeSpan _headTimeout = services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.RequestHeadersTimeout;
    private readonly ILogger _logger = services.GetRequiredService<ILogger<SessionConnection>>();

    public async Task OnConnectedAsync(ConnectionContext connection)
    {
        if (await PeekAsync(connection.Transport.Input) is not { } handshake)
        {
            await next(connection);
            return;
        }

        try
        {
            await ServeAsync(connection, handshake);
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or ConnectionAbortedException or OperationCanceledException)
        {
            // The client went away during the handshake: nothing to tell anyone.
        }
    }

    /// <summary>
    /// Our handshake, taken off the input; null when the connection is the web server's, with its
    /// bytes left as they arrived. A client that does not finish its head in time, or a connection
    /// that fails while being looked at, is the web server's too: it times out, or sees the failure,
    /// as it would have anyway.
    /// </summary>
    private async Task<Handshake?> PeekAsync(PipeReader input)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_headTimeout, _time);
            while (true)
            {
                var read = await input.ReadAsync(timeout.Token);
                switch (Handshake.TryRead(read.Buffer, out var handshake, out var end))
                {
                    case Handshake.Outcome.NeedMore when !read.IsCompleted && !read.IsCanceled:
                        input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                        break;
                    case Handshake.Outcome.Ours:
                        input.AdvanceTo(end);
                        return handshake;
                    default:
                        input.AdvanceTo(read.Buffer.Start, read.Buffer.Start);
                        return null;
                }
            }
        }
        catch (Exception)
        {
            // Whatever went wrong (a reset, the head timeout), the web server handles the connection as it would have.
            return null;
        }
    }

    private async Task ServeAsync(ConnectionContext connection, Handshake handshake)
    {
        RealtimeLog.Request(_logger, handshake.Path, handshake.QueryString, connection.RemoteEndPoint?.ToString());
        await connection.Transport.Output.WriteAsync(handshake.Response());
        await using var stream = new UpgradedStream(new DuplexPipeStream(connection.Transport));
        using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = TimeSpan.FromSeconds(_options.KeepAliveIntervalSeconds),
            KeepAliveTimeout = TimeSpan.FromSeconds(_options.KeepAliveTimeoutSeconds),
        });
        var query = handshake.Query;
        await _watchers.ServeAsync(socket, stream, handshake.SessionId, handshake.Origin,
            query.TryGetValue("access_token", out var token) ? token.FirstOrDefault() : null,
            query.TryGetValue("last_seq", out var lastSeq) ? lastSeq : default);
        if (socket.State == WebSocketState.Aborted)
        {
            // A peer that stopped reading, or that never answered the close: reset, do not wait to drain.
            connection.Abort(new ConnectionAbortedException("the WebSocket was aborted"));
        }
    }
}

/// <summary>A connection's two pipes as one stream: reads from its input, writes (each flushed) to its output.</summary>
internal sealed class DuplexPipeStream(IDuplexPipe pipe) : Stream
{
    private readonly Stream _input = pipe.Input.AsStream(leaveOpen: true);
    private readonly Stream _output = pipe.Output.AsStream(leaveOpen: true);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _input.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _input.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _output.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _output.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

    public override void Flush() => _output.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>The socket is done (closed, or aborted): a read or a flush still waiting ends now.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            pipe.Input.CancelPendingRead();
            pipe.Output.CancelPendingFlush();
        }

        base.Dispose(disposing);
    }
}
