using CanvasLearning.Sessions;
using Microsoft.Data.Sqlite;

namespace CanvasLearning.Tests.Sessions;

/// <summary>
/// The writer's connection keeps its statements prepared between uses (each node's write runs the
/// same dozen statements), without mixing up parameters or handing one command to two users.
/// </summary>
public sealed class StatementCacheTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public StatementCacheTests()
    {
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)";
        create.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void On_the_attached_connection_a_statement_is_prepared_once_and_used_again_with_fresh_parameters()
    {
        StatementCache.Attach(_connection);
        SqliteCommand first;
        using (var insert = StatementCache.Rent(_connection, null, "INSERT INTO t (k, v) VALUES ($k, $v)"))
        {
            first = insert.Command;
            insert.Command.Parameters.AddWithValue("$k", 1);
            insert.Command.Parameters.AddWithValue("$v", "one");
            insert.Command.ExecuteNonQuery();
        }

        using (var again = StatementCache.Rent(_connection, null, "INSERT INTO t (k, v) VALUES ($k, $v)"))
        {
            Assert.Same(first, again.Command);
            Assert.Empty(again.Command.Parameters);
            again.Command.Parameters.AddWithValue("$k", 2);
            again.Command.Parameters.AddWithValue("$v", "two");
            again.Command.ExecuteNonQuery();
        }

        Assert.Equal(["one", "two"], Values());
    }

    [Fact]
    public void A_statement_in_use_is_not_handed_out_twice()
    {
        StatementCache.Attach(_connection);
        using var outer = StatementCache.Rent(_connection, null, "SELECT v FROM t");
        using var inner = StatementCache.Rent(_connection, null, "SELECT v FROM t");

        Assert.NotSame(outer.Command, inner.Command);
    }

    [Fact]
    public void Without_a_cache_each_rent_is_a_new_command()
    {
        SqliteCommand first;
        using (var a = StatementCache.Rent(_connection, null, "SELECT v FROM t"))
        {
            first = a.Command;
        }

        using var b = StatementCache.Rent(_connection, null, "SELECT v FROM t");
        Assert.NotSame(first, b.Command);
    }

    [Fact]
    public void A_kept_statement_runs_in_the_transaction_it_is_rented_for()
    {
        StatementCache.Attach(_connection);
        foreach (var (key, commit) in new[] { (1, false), (2, true) })
        {
            using var tx = _connection.BeginTransaction();
            using (var insert = StatementCache.Rent(_connection, tx, "INSERT INTO t (k, v) VALUES ($k, 'x')"))
            {
                insert.Command.Parameters.AddWithValue("$k", key);
                insert.Command.ExecuteNonQuery();
            }

            if (commit)
            {
                tx.Commit();
            }
        }

        using var count = _connection.CreateCommand();
        count.CommandText = "SELECT group_concat(k) FROM t";
        Assert.Equal("2", count.ExecuteScalar());
    }

    private List<string> Values()
    {
        using var select = _connection.CreateCommand();
        select.CommandText = "SELECT v FROM t ORDER BY k";
        using var reader = select.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
