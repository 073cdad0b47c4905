using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace CanvasLearning.Sessions;

/// <summary>
/// The prepared statements of one long-lived connection (the store's writer), kept between uses:
/// a command keeps its compiled statement while its text and connection stay the same, so the
/// writer's dozen statements (and the counter triggers compiled into them) are parsed once, not
/// once per node. Any other connection, and a statement already in use, gets a new command that is
/// disposed after use. One user at a time, as the writer is.
/// </summary>
internal sealed class StatementCache
{
    // The writer's statements are a fixed handful; past this, texts that vary are not kept.
    private const int Capacity = 64;

    private static readonly ConditionalWeakTable<SqliteConnection, StatementCache> Caches = [];

    private readonly Dictionary<string, (SqliteCommand Command, bool Rented)> _commands = new(StringComparer.Ordinal);

    /// <summary>From now on, <see cref="Rent"/> on <paramref name="connection"/> keeps its statements prepared.</summary>
    public static void Attach(SqliteConnection connection) => Caches.AddOrUpdate(connection, new StatementCache());

    /// <summary>A command of <paramref name="sql"/> on the connection in <paramref name="tx"/>, with no parameters; dispose the statement after use.</summary>
    public static Statement Rent(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        if (Caches.TryGetValue(connection, out var cache))
        {
            return cache.RentCore(connection, tx, sql);
        }

        return new Statement(New(connection, tx, sql), null);
    }

    internal static SqliteCommand New(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        return command;
    }

    private Statement RentCore(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        if (_commands.TryGetValue(sql, out var kept))
        {
            if (kept.Rented)
            {
                return new Statement(New(connection, tx, sql), null);
            }

            kept.Command.Transaction = tx;
            _commands[sql] = (kept.Command, true);
            return new Statement(kept.Command, this);
        }

        var command = New(connection, tx, sql);
        if (_commands.Count >= Capacity)
        {
            return new Statement(command, null);
        }

        _commands[sql] = (command, true);
        return new Statement(command, this);
    }

    internal void Return(SqliteCommand command)
    {
        command.Parameters.Clear();
        _commands[command.CommandText] = (command, false);
    }
}

/// <summary>A command rented from <see cref="StatementCache"/>: back to its cache, or disposed, when disposed.</summary>
internal readonly struct Statement(SqliteCommand command, StatementCache? owner) : IDisposable
{
    public SqliteCommand Command => command;

    public void Dispose()
    {
        if (owner is null)
        {
            command.Dispose();
        }
        else
        {
            owner.Return(command);
        }
    }
}
