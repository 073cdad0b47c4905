using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace CanvasLearning.Sessions;

/// <summary>
/// The embedded store: one SQLite file (WAL), state and events in the same transactions, written by
/// one writer that commits the writes waiting together (group commit).
/// </summary>
/// <param name="committed">Where committed events are published, in commit order; none: nobody is told.</param>
public sealed partial class SqliteSessionStore(
    string databasePath, TimeProvider timeProvider, int busyTimeoutMilliseconds = 5_000, IEventBus? committed = null, ILogger? logger = null)
    : ISessionStore, IDisposable
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = Math.Max(1, busyTimeoutMilliseconds / 1000),
    }.ToString();

    /// <summary>The SQLite connections (under the pool's wrappers) that have run <see cref="SqliteSchema.Pragmas"/>.</summary>
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = [];

    public string DatabasePath { get; } = databasePath;

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(DatabasePath))!);
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, SqliteSchema.JournalMode, cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var version = Convert.ToInt32(await ScalarAsync(connection, tx, "PRAGMA user_version", cancellationToken), CultureInfo.InvariantCulture);
        if (version > SqliteSchema.Version)
        {
            throw new InvalidOperationException(
                $"{DatabasePath} was written by a newer version of this program (schema {version}, this one knows {SqliteSchema.Version}); upgrade the program or set Storage:DataDirectory to another folder");
        }

        await ExecuteAsync(connection, tx, SqliteSchema.Create, cancellationToken);
        if (version == 1)
        {
            await ExecuteAsync(connection, tx, SqliteSchema.FromVersion1, cancellationToken);
        }

        await ExecuteAsync(connection, tx, SqliteSchema.Counters, cancellationToken);
        if (version == 1)
        {
            await ExecuteAsync(connection, tx, SqliteSchema.CountAll, cancellationToken);
        }

        await ExecuteAsync(connection, tx, $"PRAGMA user_version = {SqliteSchema.Version}", cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    public async Task CreateAsync(NewSession session, CancellationToken cancellationToken = default)
    {
        await WriteAsync(session.SessionId, async (connection, tx, _) =>
        {
            await using (var insert = Command(connection, tx, """
                INSERT INTO sessions (session_id, canvas_path, status, max_concurrent, timeout_seconds, agent_provider, created_at)
                VALUES ($id, $canvas, 'pending', $max, $timeout, $provider, $created)
                """))
            {
                insert.Parameters.AddWithValue("$id", session.SessionId);
                insert.Parameters.AddWithValue("$canvas", session.CanvasPath);
                insert.Parameters.AddWithValue("$max", session.MaxConcurrent);
                insert.Parameters.AddWithValue("$timeout", session.TimeoutSeconds);
                insert.Parameters.AddWithValue("$provider", session.AgentProvider);
                insert.Parameters.AddWithValue("$created", Format(session.CreatedAt));
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var node = Command(connection, tx, """
                INSERT INTO session_nodes (session_id, node_id, ordinal, group_id, agent_type, text, status, file_path)
                VALUES ($id, $node, $ordinal, $group, $agent, $text, 'pending', $file)
                """);
            for (var i = 0; i < session.Nodes.Count; i++)
            {
                var n = session.Nodes[i];
                node.Parameters.Clear();
                node.Parameters.AddWithValue("$id", session.SessionId);
                node.Parameters.AddWithValue("$node", n.NodeId);
                node.Parameters.AddWithValue("$ordinal", i);
                node.Parameters.AddWithValue("$group", n.GroupId);
                node.Parameters.AddWithValue("$agent", n.AgentType);
                node.Parameters.AddWithValue("$text", n.Text);
                node.Parameters.AddWithValue("$file", n.FilePath);
                await node.ExecuteNonQueryAsync(cancellationToken);
            }
        }, cancellationToken);
    }

    public async Task<SessionSnapshot?> GetAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var tx = connection.BeginTransaction(deferred: true);
        return await ReadSnapshotAsync(connection, tx, sessionId, cancellationToken);
    }

    public async Task<SessionState?> GetStateAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        // One statement reads one consistent state: the counters are kept by triggers in the same row.
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT status, last_seq, total_nodes, completed_nodes, failed_nodes, finished_nodes FROM sessions WHERE session_id = $id");
        command.Parameters.AddWithValue("$id", sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SessionState(reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5))
            : null;
    }

    public async Task<SessionPage> ListAsync(long offset, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var tx = connection.BeginTransaction(deferred: true);
        var total = Convert.ToInt32(await ScalarAsync(connection, tx, "SELECT COUNT(*) FROM sessions", cancellationToken), CultureInfo.InvariantCulture);
        await using var command = Command(connection, tx, $"""
            SELECT {SessionColumns},
                   (SELECT COUNT(*) FROM session_nodes n WHERE n.session_id = s.session_id),
                   (SELECT COUNT(*) FROM session_nodes n WHERE n.session_id = s.session_id AND n.status = 'completed'),
                   (SELECT COUNT(*) FROM session_nodes n WHERE n.session_id = s.session_id AND n.status = 'failed'),
                   (SELECT COUNT(*) FROM session_nodes n WHERE n.session_id = s.session_id AND n.status IN ('completed', 'failed', 'cancelled'))
            FROM sessions s ORDER BY s.created_at DESC, s.session_id DESC LIMIT $limit OFFSET $offset
            """);
        command.Parameters.AddWithValue("$limit", limit);
        command.Parameters.AddWithValue("$offset", offset);
        var items = new List<SessionSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new SessionSummary(ReadSession(reader), reader.GetInt32(10), reader.GetInt32(11), reader.GetInt32(12), reader.GetInt32(13)));
        }

        return new SessionPage(items, total);
    }

    public async Task<IReadOnlyList<string>> ListFilePathsAsync(string folder, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT DISTINCT file_path FROM session_nodes WHERE substr(file_path, 1, length($prefix)) = $prefix");
        command.Parameters.AddWithValue("$prefix", folder.TrimEnd('/') + "/");
        var paths = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            paths.Add(reader.GetString(0));
        }

        return paths;
    }

    public async Task<IReadOnlyList<RecordedOutput>> ListOutputsAsync(string canvasPath, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, """
            SELECT n.node_id, n.file_path, n.status <> 'completed', s.session_id
            FROM session_nodes n JOIN sessions s ON s.session_id = n.session_id
            WHERE s.canvas_path = $canvas
              AND (n.status = 'completed' OR (s.status IN ('pending', 'running') AND n.status IN ('pending', 'running')))
            ORDER BY s.created_at DESC, s.session_id DESC
            """);
        command.Parameters.AddWithValue("$canvas", canvasPath);
        var outputs = new List<RecordedOutput>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            outputs.Add(new RecordedOutput(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), reader.GetString(3)));
        }

        return outputs;
    }

    public async Task<IReadOnlyList<string>> ListUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT session_id FROM sessions WHERE status IN ('pending', 'running') ORDER BY created_at, session_id");
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task<IReadOnlyList<SessionEvent>> ReadEventsAsync(string sessionId, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT seq, type, payload FROM session_events WHERE session_id = $id AND seq > $after ORDER BY seq LIMIT $limit");
        command.Parameters.AddWithValue("$id", sessionId);
        command.Parameters.AddWithValue("$after", afterSeq);
        command.Parameters.AddWithValue("$limit", limit);
        var events = new List<SessionEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new SessionEvent(sessionId, reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }

        return events;
    }

    public void Dispose() => StopWriter();

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // The pool hands out the same SQLite connections again: each is set up once, not on every open.
        if (!Configured.TryGetValue(connection.Handle!, out _))
        {
            await ExecuteAsync(connection, null, SqliteSchema.Pragmas, cancellationToken);
            Configured.AddOrUpdate(connection.Handle!, Configured);
        }

        return connection;
    }

    private static string Format(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
