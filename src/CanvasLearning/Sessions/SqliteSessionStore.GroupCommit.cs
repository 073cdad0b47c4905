using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace CanvasLearning.Sessions;

/// <summary>
/// Group commit: every write goes through one writer, which runs all the writes waiting (up to
/// <see cref="MaxBatch"/>) in one transaction, each inside its own savepoint (a write that fails
/// is undone alone), commits once (one fsync for all of them), publishes their events in commit
/// order, and only then answers each caller. So an acknowledged write is durable, nothing is
/// published before it is committed, and <c>seq</c> stays dense and ordered per session however
/// many writes run at once.
/// </summary>
public sealed partial class SqliteSessionStore
{
    /// <summary>Most writes committed together.</summary>
    private const int MaxBatch = 256;

    private readonly Channel<WriteRequest> _writes = Channel.CreateUnbounded<WriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _writerStart = new();
    private Task? _writer;
    private SqliteConnection? _writerConnection;

    /// <summary>Writes committed since the store opened, and the transactions that carried them (for tests and benchmarks).</summary>
    internal (long Writes, long Commits) CommitCounts => (Interlocked.Read(ref _committedWrites), Interlocked.Read(ref _commits));

    private long _committedWrites;
    private long _commits;

    /// <summary>Queues one write; it completes once committed and its events published.</summary>
    private Task<IReadOnlyList<SessionEvent>> WriteAsync(
        string sessionId, Func<SqliteConnection, SqliteTransaction, EventLog, Task> write, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<IReadOnlyList<SessionEvent>>(cancellationToken);
        }

        var request = new WriteRequest(sessionId, write, cancellationToken);
        EnsureWriter();
        if (!_writes.Writer.TryWrite(request))
        {
            return Task.FromException<IReadOnlyList<SessionEvent>>(new ObjectDisposedException(nameof(SqliteSessionStore), "the session store is closed"));
        }

        return request.Completion.Task;
    }

    private void EnsureWriter()
    {
        if (Volatile.Read(ref _writer) is not null)
        {
            return;
        }

        lock (_writerStart)
        {
            _writer ??= Task.Run(WriteLoopAsync);
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<WriteRequest>(MaxBatch);
        while (await _writes.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var request))
            {
                batch.Add(request);
            }

            await CommitAsync(batch);
            batch.Clear();
        }

        _writerConnection?.Dispose();
    }

    private async Task CommitAsync(List<WriteRequest> batch)
    {
        try
        {
            if (_writerConnection is null)
            {
                _writerConnection = await OpenAsync(CancellationToken.None);
                StatementCache.Attach(_writerConnection);
            }

            var connection = _writerConnection;
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync();
            foreach (var request in batch)
            {
                await RunAsync(connection, tx, request);
            }

            await tx.CommitAsync();
        }
        catch (Exception ex)
        {
            // Nothing of this batch is committed: each caller learns it, and the next batch starts
            // on a fresh connection.
            _writerConnection?.Dispose();
            _writerConnection = null;
            foreach (var request in batch)
            {
                request.Fail(ex);
            }

            return;
        }

        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _committedWrites, batch.Count);
        var events = batch.Where(r => r.Error is null && r.Events.Count > 0).SelectMany(r => r.Events).ToList();
        if (events.Count > 0 && committed is not null)
        {
            try
            {
                await committed.PublishAsync(events);
            }
            catch (Exception ex)
            {
                // The events are in the log, and watchers read them from there; the writes stand.
                if (logger is not null)
                {
                    SessionsLog.PublishFailed(logger, events.Count, ex);
                }
            }
        }

        foreach (var request in batch)
        {
            request.Complete();
        }
    }

    /// <summary>One write inside its own savepoint: when it throws, only its changes are undone.</summary>
    private async Task RunAsync(SqliteConnection connection, SqliteTransaction tx, WriteRequest request)
    {
        if (request.CancellationToken.IsCancellationRequested)
        {
            request.Error = new OperationCanceledException(request.CancellationToken);
            return;
        }

        // Savepoints as statements of the writer's cache (SqliteTransaction.Save would prepare one each time).
        await ExecuteAsync(connection, tx, "SAVEPOINT w", CancellationToken.None);
        try
        {
            var lastSeq = await ScalarAsync(connection, tx, "SELECT last_seq FROM sessions WHERE session_id = $id", request.CancellationToken, ("$id", request.SessionId));
            var log = new EventLog(request.SessionId, lastSeq is long n ? n : 0, timeProvider.GetUtcNow());
            await request.Write(connection, tx, log);
            if (log.Events.Count > 0)
            {
                await InsertEventsAsync(connection, tx, request.SessionId, log.Events, request.CancellationToken);
            }

            await ExecuteAsync(connection, tx, "RELEASE w", CancellationToken.None);
            request.Events = log.Events;
        }
        catch (Exception ex) when (ex is not SqliteException { SqliteErrorCode: 10 or 11 or 13 })
        {
            // Undone alone; an I/O error, a corrupt file or a full disk (10, 11, 13) fails the whole batch instead.
            await ExecuteAsync(connection, tx, "ROLLBACK TO w", CancellationToken.None);
            await ExecuteAsync(connection, tx, "RELEASE w", CancellationToken.None);
            request.Error = ex;
        }
    }

    private static async Task InsertEventsAsync(SqliteConnection connection, SqliteTransaction tx, string sessionId, IReadOnlyList<SessionEvent> events, CancellationToken cancellationToken)
    {
        using var statement = StatementCache.Rent(connection, tx, "INSERT INTO session_events (session_id, seq, type, payload) VALUES ($id, $seq, $type, $payload)");
        var insert = statement.Command;
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
        var type = insert.Parameters.Add("$type", SqliteType.Text);
        var payload = insert.Parameters.Add("$payload", SqliteType.Text);
        foreach (var e in events)
        {
            (id.Value, seq.Value, type.Value, payload.Value) = (e.SessionId, e.Seq, e.Type, e.Json);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await ExecuteAsync(connection, tx, "UPDATE sessions SET last_seq = $seq WHERE session_id = $id",
            cancellationToken, ("$id", sessionId), ("$seq", events[^1].Seq));
    }

    /// <summary>Stops taking writes and waits, bounded, for those queued to be committed.</summary>
    private void StopWriter()
    {
        _writes.Writer.TryComplete();
        _writer?.Wait(TimeSpan.FromSeconds(30));
    }

    private sealed class WriteRequest(string sessionId, Func<SqliteConnection, SqliteTransaction, EventLog, Task> write, CancellationToken cancellationToken)
    {
        public string SessionId { get; } = sessionId;

        public Func<SqliteConnection, SqliteTransaction, EventLog, Task> Write { get; } = write;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<IReadOnlyList<SessionEvent>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<SessionEvent> Events { get; set; } = [];

        public Exception? Error { get; set; }

        public void Fail(Exception ex)
        {
            Error ??= ex;
            Complete();
        }

        public void Complete()
        {
            if (Error is OperationCanceledException canceled)
            {
                Completion.TrySetCanceled(canceled.CancellationToken);
            }
            else if (Error is not null)
            {
                Completion.TrySetException(Error);
            }
            else
            {
                Completion.TrySetResult(Events);
            }
        }
    }
}
