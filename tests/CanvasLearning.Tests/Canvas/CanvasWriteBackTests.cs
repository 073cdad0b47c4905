using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CanvasLearning.Canvas;

namespace CanvasLearning.Tests.Canvas;

public sealed class CanvasWriteBackTests : IDisposable
{
    private const string Canvas = """
        {
        	"nodes":[
        		{"id":"src","type":"text","text":"什么是集合","x":100,"y":200,"width":250,"height":60,"color":"3"},
        		{"id":"other","type":"text","text":"far away","x":2000,"y":2000,"width":250,"height":60}
        	],
        	"edges":[],
        	"custom":{"keep":true}
        }
        """;

    private readonly TempDirectory _temp = new();
    private readonly CanvasWriteBack _writeBack = new();
    private readonly string _path;

    public CanvasWriteBackTests() => _path = _temp.Write("notes/math.canvas", Canvas);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Adds_a_file_node_right_of_the_source_and_a_labelled_edge_between_facing_sides()
    {
        await _writeBack.AddExplanationAsync(_path, Placement("f1"));

        var doc = await CanvasDocument.LoadAsync(_path);
        var node = doc.FindNode("f1")!;
        Assert.Equal(("file", "notes/math-explanations/f1.md"), (node.Type, node.File));
        Assert.Equal((100d + 250 + 40, 200d, 400d, 300d), (node.X, node.Y, node.Width, node.Height));
        var edge = Assert.Single(doc.Edges);
        Assert.Equal(new CanvasEdge("edge-f1", "src", "f1", "right", "left", "oral-explanation"), edge);
        Assert.NotNull(doc.FindNode(edge.FromNode));
        Assert.NotNull(doc.FindNode(edge.ToNode));
        Assert.True(JsonNode.Parse(await File.ReadAllTextAsync(_path))!["custom"]!["keep"]!.GetValue<bool>());
        Assert.Contains("什么是集合", await File.ReadAllTextAsync(_path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Second_call_with_the_same_node_id_changes_nothing()
    {
        await _writeBack.AddExplanationAsync(_path, Placement("f1"));
        var first = await File.ReadAllTextAsync(_path);
        var stamp = File.GetLastWriteTimeUtc(_path);

        await _writeBack.AddExplanationAsync(_path, Placement("f1"));

        Assert.Equal(first, await File.ReadAllTextAsync(_path));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(_path));
    }

    [Fact]
    public async Task Edit_made_between_two_calls_survives()
    {
        await _writeBack.AddExplanationAsync(_path, Placement("f1"));
        var root = JsonNode.Parse(await File.ReadAllTextAsync(_path))!;
        root["nodes"]!.AsArray().Add(new JsonObject { ["id"] = "user", ["type"] = "text", ["text"] = "added by hand", ["x"] = -900, ["y"] = 0, ["width"] = 10, ["height"] = 10 });
        root["nodes"]![0]!["text"] = "edited";
        await File.WriteAllTextAsync(_path, root.ToJsonString());

        await _writeBack.AddExplanationAsync(_path, Placement("f2"));

        var doc = await CanvasDocument.LoadAsync(_path);
        Assert.Equal("added by hand", doc.FindNode("user")!.Text);
        Assert.Equal("edited", doc.FindNode("src")!.Text);
        Assert.NotNull(doc.FindNode("f1"));
        Assert.NotNull(doc.FindNode("f2"));
    }

    [Fact]
    public async Task Fifty_concurrent_calls_all_land()
    {
        var ids = Enumerable.Range(0, 50).Select(i => $"f{i}").ToList();
        var batches = new ConcurrentQueue<int>();
        _writeBack.BeforeBatch = (_, count) =>
        {
            batches.Enqueue(count);
            return Task.CompletedTask;
        };

        await Task.WhenAll(ids.Select(id => Task.Run(() => _writeBack.AddExplanationAsync(_path, Placement(id)))));

        var doc = await CanvasDocument.LoadAsync(_path);
        Assert.Equal(52, doc.Nodes.Count);
        Assert.Equal(50, doc.Edges.Count);
        Assert.All(ids, id => Assert.NotNull(doc.FindNode(id)));
        Assert.Equal(doc.Nodes.Count, doc.Nodes.Select(n => n.Id).Distinct().Count());
        AssertNoOverlaps(doc.Nodes);
        Assert.Equal(["math.canvas"], Directory.GetFiles(Path.GetDirectoryName(_path)!).Select(Path.GetFileName));

        // However the calls met the writer (one batch of 50, or 50 of one: that is the scheduler's
        // choice), each went into exactly one batch, and each batch cost exactly one rewrite.
        Assert.Equal(ids.Count, batches.Sum());
        Assert.Equal(batches.Count, _writeBack.Rewrites);
    }

    [Fact]
    public async Task Calls_queued_behind_a_write_are_applied_together_in_the_next_one()
    {
        var hold = HoldFirstBatch();
        var first = _writeBack.AddExplanationsAsync(_path, [Placement("f0")]);
        Assert.Equal(1, await hold.Entered.Task.WaitAsync(Timeout));

        // 99 callers from many threads while the first write holds the canvas; f5 twice.
        var ids = Enumerable.Range(1, 99).Select(i => $"f{i}").Append("f5").ToList();
        var queued = new Task<int>[ids.Count];
        Parallel.For(0, ids.Count, i => queued[i] = _writeBack.AddExplanationsAsync(_path, [Placement(ids[i])]));
        Assert.Equal(ids.Count, _writeBack.QueuedCount(_path));
        Assert.DoesNotContain(queued, t => t.IsCompleted);
        hold.Release.SetResult();

        Assert.Equal(1, await first.WaitAsync(Timeout));
        var added = await Task.WhenAll(queued).WaitAsync(Timeout);

        Assert.Equal([1, ids.Count], hold.Batches);
        Assert.Equal(2, _writeBack.Rewrites);
        Assert.Equal(99, added.Sum());
        var doc = await CanvasDocument.LoadAsync(_path);
        Assert.Equal(2 + 100, doc.Nodes.Count);
        Assert.Equal(100, doc.Edges.Count);
        Assert.Equal(doc.Nodes.Count, doc.Nodes.Select(n => n.Id).Distinct().Count());
        Assert.Equal(doc.Edges.Count, doc.Edges.Select(e => e.Id).Distinct().Count());
        Assert.All(Enumerable.Range(0, 100), i => Assert.Equal("src", Assert.Single(doc.Edges, e => e.ToNode == $"f{i}").FromNode));
        AssertNoOverlaps(doc.Nodes);
        Assert.Equal(["math.canvas"], Directory.GetFiles(Path.GetDirectoryName(_path)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_call_completes_only_after_the_write_holding_its_placement()
    {
        var hold = HoldFirstBatch();
        var call = _writeBack.AddExplanationAsync(_path, Placement("f1"));

        // Read the canvas at the very moment the call completes, whenever that is: its node must
        // be there already. (A call that returned early, while its write is held, would find none.)
        var onCanvasWhenDone = call.ContinueWith(
            _ => CanvasDocument.Parse(File.ReadAllText(_path)).FindNode("f1") is not null,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await hold.Entered.Task.WaitAsync(Timeout);

        Assert.False(call.IsCompleted, "the call returned before its canvas write");
        Assert.Null((await CanvasDocument.LoadAsync(_path)).FindNode("f1"));
        hold.Release.SetResult();
        await call.WaitAsync(Timeout);

        Assert.True(await onCanvasWhenDone, "the call completed before its node was on the canvas");
        Assert.NotNull((await CanvasDocument.LoadAsync(_path)).FindNode("f1"));
    }

    [Fact]
    public async Task A_failing_batch_fails_every_caller_and_the_next_write_works_again()
    {
        var hold = HoldFirstBatch();
        var first = _writeBack.AddExplanationAsync(_path, Placement("f0"));
        await hold.Entered.Task.WaitAsync(Timeout);
        var queued = Enumerable.Range(1, 20).Select(i => _writeBack.AddExplanationAsync(_path, Placement($"f{i}"))).ToList();

        // The canvas becomes unreadable while the callers wait.
        await File.WriteAllTextAsync(_path, "{ broken");
        hold.Release.SetResult();

        foreach (var call in queued.Prepend(first))
        {
            await Assert.ThrowsAsync<CanvasFormatException>(() => call.WaitAsync(Timeout));
        }

        Assert.Equal("{ broken", await File.ReadAllTextAsync(_path));
        Assert.Equal(0, _writeBack.Rewrites);

        await File.WriteAllTextAsync(_path, Canvas);
        await _writeBack.AddExplanationAsync(_path, Placement("f1")).WaitAsync(Timeout);
        Assert.NotNull((await CanvasDocument.LoadAsync(_path)).FindNode("f1"));
    }

    [Fact]
    public async Task A_cancelled_caller_does_not_lose_the_others_placements()
    {
        var hold = HoldFirstBatch();
        using var firstCancel = new CancellationTokenSource();
        var first = _writeBack.AddExplanationAsync(_path, Placement("f0"), firstCancel.Token);
        await hold.Entered.Task.WaitAsync(Timeout);
        var cancels = Enumerable.Range(1, 10).Select(_ => new CancellationTokenSource()).ToList();
        var queued = cancels.Select((cts, i) => _writeBack.AddExplanationAsync(_path, Placement($"f{i + 1}"), cts.Token)).ToList();

        // One queued caller and the one whose write is under way give up; both return at once.
        await cancels[2].CancelAsync();
        await firstCancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued[2].WaitAsync(Timeout));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(Timeout));
        Assert.Equal(9, _writeBack.QueuedCount(_path));
        hold.Release.SetResult();

        await Task.WhenAll(queued.Where((_, i) => i != 2)).WaitAsync(Timeout);

        var doc = await CanvasDocument.LoadAsync(_path);
        Assert.All(Enumerable.Range(1, 10).Where(i => i != 3), i => Assert.NotNull(doc.FindNode($"f{i}")));
        Assert.Null(doc.FindNode("f3"));
        Assert.NotNull(doc.FindNode("f0")); // its write was already under way: it went on for the others
        Assert.Equal(2, _writeBack.Rewrites);
        cancels.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task A_call_cancelled_before_it_starts_writes_nothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _writeBack.AddExplanationAsync(_path, Placement("f1"), cts.Token));

        Assert.Equal(Canvas, await File.ReadAllTextAsync(_path));
        Assert.Equal(0, _writeBack.QueuedCount(_path));
    }

    [Fact]
    public async Task A_write_held_on_one_canvas_does_not_hold_another()
    {
        var other = _temp.Write("notes/other.canvas", Canvas);
        var hold = HoldFirstBatch();
        var first = _writeBack.AddExplanationAsync(_path, Placement("f1"));
        await hold.Entered.Task.WaitAsync(Timeout);

        await _writeBack.AddExplanationAsync(other, Placement("g1")).WaitAsync(Timeout);

        Assert.False(first.IsCompleted);
        hold.Release.SetResult();
        await first.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Group_around_the_source_is_not_an_obstacle()
    {
        await File.WriteAllTextAsync(_path, """
            {"nodes":[
              {"id":"g","type":"group","label":"all","x":-100,"y":-100,"width":5000,"height":5000},
              {"id":"src","type":"text","text":"a","x":0,"y":0,"width":200,"height":100}
            ]}
            """);

        await _writeBack.AddExplanationAsync(_path, Placement("f1"));

        var node = (await CanvasDocument.LoadAsync(_path)).FindNode("f1")!;
        Assert.Equal((240d, 0d), (node.X, node.Y));
    }

    [Fact]
    public async Task Missing_source_adds_the_node_right_of_everything_without_edge()
    {
        await _writeBack.AddExplanationAsync(_path, Placement("f1") with { SourceNodeId = "gone" });

        var doc = await CanvasDocument.LoadAsync(_path);
        var node = doc.FindNode("f1")!;
        Assert.True(node.X >= 2000 + 250);
        Assert.Equal(200, node.Y);
        Assert.Empty(doc.Edges);
        AssertNoOverlaps(doc.Nodes);
    }

    [Fact]
    public async Task Batch_adds_several_with_one_write_and_skips_existing()
    {
        await _writeBack.AddExplanationAsync(_path, Placement("f1"));

        var added = await _writeBack.AddExplanationsAsync(_path, [Placement("f1"), Placement("f2"), Placement("f3")]);

        var doc = await CanvasDocument.LoadAsync(_path);
        Assert.Equal(2, added);
        Assert.Equal(5, doc.Nodes.Count);
        Assert.Equal(3, doc.Edges.Count);
        AssertNoOverlaps(doc.Nodes);
    }

    [Fact]
    public async Task Unreadable_canvas_is_not_overwritten()
    {
        await File.WriteAllTextAsync(_path, "{ broken");

        await Assert.ThrowsAsync<CanvasFormatException>(() => _writeBack.AddExplanationAsync(_path, Placement("f1")));

        Assert.Equal("{ broken", await File.ReadAllTextAsync(_path));
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Makes the writer wait, before its first read of the test canvas, until released; records batch sizes.</summary>
    private Hold HoldFirstBatch()
    {
        var hold = new Hold();
        _writeBack.BeforeBatch = async (path, count) =>
        {
            if (path != Path.GetFullPath(_path))
            {
                return;
            }

            lock (hold.Batches)
            {
                hold.Batches.Add(count);
            }

            if (hold.Entered.TrySetResult(count))
            {
                await hold.Release.Task;
            }
        };
        return hold;
    }

    private static ExplanationPlacement Placement(string fileNodeId) =>
        new("src", fileNodeId, $"edge-{fileNodeId}", $"notes/math-explanations/{fileNodeId}.md", "oral-explanation");

    private static void AssertNoOverlaps(IReadOnlyList<CanvasNode> nodes)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            for (var j = i + 1; j < nodes.Count; j++)
            {
                var (a, b) = (nodes[i], nodes[j]);
                var overlap = a.X < b.Right && b.X < a.Right && a.Y < b.Bottom && b.Y < a.Bottom;
                Assert.False(overlap, $"{a.Id} overlaps {b.Id}");
            }
        }
    }

    private sealed class Hold
    {
        public TaskCompletionSource<int> Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<int> Batches { get; } = [];
    }
}
