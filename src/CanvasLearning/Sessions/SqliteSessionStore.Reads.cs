using Microsoft.Data.Sqlite;

namespace CanvasLearning.Sessions;

public sealed partial class SqliteSessionStore
{
    private const string SessionColumns =
        "s.session_id, s.canvas_path, s.status, s.max_concurrent, s.timeout_seconds, s.agent_provider, s.created_at, s.started_at, s.completed_at, s.last_seq";

    private static async Task<SessionSnapshot?> ReadSnapshotAsync(SqliteConnection connection, SqliteTransaction tx, string sessionId, CancellationToken cancellationToken)
    {
        SessionRecord? session = null;
        await using (var command = Command(connection, tx, $"SELECT {SessionColumns} FROM sessions s WHERE s.session_id = $id"))
        {
            command.Parameters.AddWithValue("$id", sessionId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                session = ReadSession(reader);
            }
        }

        if (session is null)
        {
            return null;
        }

        var nodes = new List<SessionNodeRecord>();
        await using (var command = Command(connection, tx, """
            SELECT group_id, agent_type, node_id, text, status, file_path, file_size, error_message, error_type,
                   attempts, duration_ms, model, tokens_in, tokens_out
            FROM session_nodes WHERE session_id = $id ORDER BY ordinal
            """))
        {
            command.Parameters.AddWithValue("$id", sessionId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                nodes.Add(new SessionNodeRecord(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetInt64(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8),
                    reader.GetInt32(9),
                    reader.IsDBNull(10) ? null : reader.GetInt64(10),
                    reader.IsDBNull(11) ? null : reader.GetString(11),
                    reader.GetInt64(12), reader.GetInt64(13)));
            }
        }

        return new SessionSnapshot(session, nodes);
    }

    /// <summary>
    /// The node and the counts its events need, from the counts the triggers keep: a finished node
    /// costs the same however large its session.
    /// </summary>
    private static async Task<NodeProgress> ReadNodeProgressAsync(SqliteConnection connection, SqliteTransaction tx, string sessionId, string nodeId, CancellationToken cancellationToken)
    {
        using var statement = StatementCache.Rent(connection, tx, """
            SELECT n.group_id, n.agent_type, n.file_path,
                   s.total_nodes, s.completed_nodes, s.failed_nodes, s.finished_nodes,
                   g.total, g.completed, g.failed, g.finished
            FROM session_nodes n
            JOIN sessions s ON s.session_id = n.session_id
            JOIN session_groups g ON g.session_id = n.session_id AND g.group_id = n.group_id
            WHERE n.session_id = $id AND n.node_id = $node
            """);
        var command = statement.Command;
        command.Parameters.AddWithValue("$id", sessionId);
        command.Parameters.AddWithValue("$node", nodeId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"node '{nodeId}' is not part of session '{sessionId}'");
        }

        return new NodeProgress(nodeId, reader.GetString(0), reader.GetString(1), reader.GetString(2),
            new NodeCounts(reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6)),
            new NodeCounts(reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10)));
    }

    private static SessionRecord ReadSession(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetString(5),
        ParseTime(reader, 6)!.Value, ParseTime(reader, 7), ParseTime(reader, 8), reader.GetInt64(9));

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql) => StatementCache.New(connection, tx, sql);

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var statement = StatementCache.Rent(connection, tx, sql);
        var command = statement.Command;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var statement = StatementCache.Rent(connection, tx, sql);
        var command = statement.Command;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
