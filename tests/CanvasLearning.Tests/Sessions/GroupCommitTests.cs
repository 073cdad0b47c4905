using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CanvasLearning.Sessions;
using Microsoft.Data.Sqlite;

namespace CanvasLearning.Tests.Sessions;

/// <summary>
/// The store's one writer commits many writes together. Whatever batches it makes, what a watcher
/// and a reader of the file see must be as if each write had been committed alone, in order.
/// </summary>
public sealed class GroupCommitTests : IDisposable
{
    private const string Session = "ip-20261201-120000-00000001";
    private readonly string _folder = Directory.CreateTempSubdirectory("cl-groupcommit-").FullName;
    private readonly ConcurrentQueue<SessionEvent> _published = new();
    private readonly InProcessEventBus _bus = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Hundreds_of_nodes_finishing_at_once_are_published_in_seq_order_with_dense_seqs_and_right_counts()
    {
        const int nodes = 300;
        using var store = await OpenAsync(nodes);
        await store.StartAsync(Session);

        await Task.WhenAll(Enumerable.Range(0, nodes).Select(i => Task.Run(() =>
            store.CompleteNodeAsync(Session, NodeId(i), new NodeSuccess(100 + i, 5, "fake-model", 1, 2)))));

        var published = _published.ToList();
        Assert.Equal(Enumerable.Range(1, published.Count).Select(n => (long)n), published.Select(e => e.Seq));
        var completed = published.Where(e => e.Type == EventTypes.TaskCompleted).Select(e => Data(e)["node_id"]!.GetValue<string>()).ToList();
        Assert.Equal(nodes, completed.Count);
        Assert.Equal(nodes, completed.Distinct().Count());
        var progress = published.Where(e => e.Type == EventTypes.ProgressUpdate).Select(e => Data(e)["completed_nodes"]!.GetValue<int>()).ToList();
        Assert.Equal(Enumerable.Range(0, nodes + 1), progress); // one per change, each one more, as committed one by one
        Assert.Single(published, e => e.Type == EventTypes.GroupCompleted);

        // What the file holds is what was published.
        var logged = await store.ReadEventsAsync(Session, 0, 10_000);
        Assert.Equal(published.Select(e => (e.Seq, e.Json)), logged.Select(e => (e.Seq, e.Json)));
    }

    [Fact]
    public async Task A_write_that_fails_among_others_is_undone_alone_and_takes_no_seq()
    {
        const int nodes = 40;
        using var store = await OpenAsync(nodes);
        await store.StartAsync(Session);
        var before = store.CommitCounts;

        // Another process holds the database's write lock while the writes are queued, so the writer
        // cannot commit until they are all waiting: they share at most two transactions (the first
        // write may have been taken alone), and the bad one shares one with many good ones.
        Task bad;
        List<Task> writes;
        await using (var other = new SqliteConnection($"Data Source={Path.Combine(_folder, "sessions.db")}"))
        {
            await other.OpenAsync();
            await using var hold = (SqliteTransaction)await other.BeginTransactionAsync(System.Data.IsolationLevel.Serializable);
            await using (var write = other.CreateCommand())
            {
                write.Transaction = hold;
                write.CommandText = "UPDATE sessions SET status = status WHERE session_id = 'nobody'";
                await write.ExecuteNonQueryAsync();
            }

            writes = Enumerable.Range(0, nodes / 2).Select(i => (Task)store.CompleteNodeAsync(Session, NodeId(i), new NodeSuccess(1, 1, "fake-model", 1, 1))).ToList();
            bad = store.CompleteNodeAsync(Session, "not-a-node", new NodeSuccess(1, 1, "fake-model", 1, 1));
            writes.AddRange(Enumerable.Range(nodes / 2, nodes / 2).Select(i => store.CompleteNodeAsync(Session, NodeId(i), new NodeSuccess(1, 1, "fake-model", 1, 1))));
            await hold.CommitAsync();
        }

        await Task.WhenAll(writes);
        await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        var after = store.CommitCounts;
        Assert.Equal(nodes + 1, after.Writes - before.Writes);
        Assert.InRange(after.Commits - before.Commits, 1, 2);

        var snapshot = await store.GetAsync(Session);
        Assert.Equal(nodes, snapshot!.CompletedNodes);
        var logged = await store.ReadEventsAsync(Session, 0, 10_000);
        Assert.Equal(Enumerable.Range(1, logged.Count).Select(n => (long)n), logged.Select(e => e.Seq));
        Assert.Equal(snapshot.Session.LastSeq, logged[^1].Seq);
        Assert.Equal(nodes, logged.Count(e => e.Type == EventTypes.TaskCompleted));
    }

    [Fact]
    public async Task What_was_acknowledged_is_in_the_file_when_it_is_opened_again()
    {
        const int nodes = 50;
        long lastSeq;
        using (var store = await OpenAsync(nodes))
        {
            await store.StartAsync(Session);
            await Task.WhenAll(Enumerable.Range(0, nodes).Select(i => Task.Run(() =>
                store.FailNodeAsync(Session, NodeId(i), new NodeFailure("agent_error", "fake failure", 3)))));
            lastSeq = _published.Max(e => e.Seq);
        }

        using var reopened = new SqliteSessionStore(Path.Combine(_folder, "sessions.db"), TimeProvider.System);
        var snapshot = await reopened.GetAsync(Session);
        Assert.Equal(nodes, snapshot!.FailedNodes);
        Assert.Equal(lastSeq, snapshot.Session.LastSeq);
        Assert.Equal(lastSeq, (await reopened.ReadEventsAsync(Session, 0, 10_000)).Count);
    }

    private async Task<SqliteSessionStore> OpenAsync(int nodes)
    {
        var store = new SqliteSessionStore(Path.Combine(_folder, "sessions.db"), TimeProvider.System, committed: _bus);
        await store.InitializeAsync();
        _bus.Subscribe(Session, _published.Enqueue);
        await store.CreateAsync(new NewSession(Session, "c.canvas", 12, 3600, "offline", DateTimeOffset.UtcNow,
            Enumerable.Range(0, nodes).Select(i => new NewSessionNode("g1", "oral-explanation", NodeId(i), $"concept {i}", $"out/{i}.md")).ToList()));
        return store;
    }

    private static string NodeId(int i) => $"n{i:D4}";

    private static JsonNode Data(SessionEvent e) => JsonNode.Parse(e.Json)!["data"]!;
}
