using CanvasLearning.Canvas;
using CanvasLearning.Sessions;
using CanvasLearning.Tests.Support;

namespace CanvasLearning.Tests.Execution;

/// <summary>
/// A session's explanations land where its plan put them, whatever order its agents finish in: the
/// same canvas and selection give the same canvas, run after run. The test vault's canvas is a
/// dense grid (ten cards a row, 400 × 600 apart), where that order would otherwise move them.
/// </summary>
public sealed class PlannedPlacementTests
{
    private const int Nodes = 30;

    [Fact]
    public async Task Explanations_land_in_the_same_places_when_the_agents_finish_in_reverse_order()
    {
        var forward = await RunAsync(reverse: false);
        var backward = await RunAsync(reverse: true);

        Assert.Equal(forward, backward);
    }

    /// <summary>Runs one session whose agents finish one at a time in the given order; returns where each explanation landed.</summary>
    private static async Task<Dictionary<string, (double X, double Y)>> RunAsync(bool reverse)
    {
        using var vault = new TestVault(purpleNodes: Nodes);
        await using var h = await new EngineHarness(vault, new Dictionary<string, string?> { ["Engine:MaxConcurrentNodes"] = $"{Nodes}" }).InitializeAsync();
        var order = reverse ? vault.NodeIds.Reverse().ToList() : [.. vault.NodeIds];
        foreach (var id in order)
        {
            h.Agent.Gate(id);
        }

        var session = await h.ConfirmAsync(maxConcurrent: Nodes);
        foreach (var id in order)
        {
            h.Agent.Gate(id).TrySetResult();
            await WaitUntilAsync(async () => (await h.Store.GetAsync(session))!.Nodes.Single(n => n.NodeId == id).Status == NodeStatus.Completed);
        }

        Assert.Equal(SessionStatus.Completed, (await h.WaitForEndAsync(session)).Session.Status);
        var canvas = await CanvasDocument.LoadAsync(vault.CanvasFullPath);
        return vault.NodeIds.ToDictionary(id => id, id =>
        {
            var explanation = canvas.FindNode(canvas.Edges.Single(e => e.FromNode == id && canvas.FindNode(e.ToNode)?.Type == CanvasNodeTypes.File).ToNode)!;
            return (explanation.X, explanation.Y);
        });
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(10);
        }
    }
}
