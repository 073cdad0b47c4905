using CanvasLearning.Canvas.Placement;

namespace CanvasLearning.Tests.Canvas;

/// <summary>
/// The spatial index placement asks "what is here?": it must find exactly what a look at every
/// rectangle would, for the rectangles it was built with and for those added after, on a dense
/// canvas (cells found by their place in a box) and on a sparse one (cells in a dictionary).
/// </summary>
public sealed class SpatialGridTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Finds_what_a_look_at_every_rectangle_finds(bool sparse)
    {
        var random = new Random(7);

        // Cards in columns as on a study map, or a few far apart (a box of their cells would be mostly empty).
        Rect Card() => sparse
            ? new Rect(random.Next(-50, 50) * 100_000, random.Next(-50, 50) * 100_000, 320, 120)
            : new Rect(random.Next(0, 8_000), random.Next(0, 8_000), random.Next(0, 700), random.Next(0, 400));

        var built = Enumerable.Range(0, 400).Select(_ => Card()).ToList();
        built.Add(new Rect(-1e7, -1e7, 2e7, 2e7)); // a group around everything: too many cells to list it in each
        var grid = new SpatialGrid([.. built]);
        var all = new List<Rect>(built);
        for (var i = 0; i < 60; i++)
        {
            var added = Card();
            Assert.Equal(all.Count, grid.Add(added));
            all.Add(added);
        }

        Assert.Equal(all.Count, grid.Count);
        var found = new List<int>();
        for (var query = 0; query < 2_000; query++)
        {
            // Near a card (any but the group), or anywhere around the cards.
            var near = query % 2 == 0
                ? all[random.Next(all.Count - 1) is var pick && pick == built.Count - 1 ? all.Count - 1 : pick]
                : sparse ? Card() : new Rect(random.Next(-1_000, 10_000), random.Next(-1_000, 10_000), 0, 0);
            var area = new Rect(near.X + random.Next(-600, 600), near.Y + random.Next(-600, 600), random.Next(1, 900), random.Next(1, 900));
            var expected = Enumerable.Range(0, all.Count).Where(i => all[i].Intersects(area)).ToList();

            grid.Intersecting(area, found);
            Assert.Equal(expected, found.Order());
            var first = grid.FirstIntersecting(area);
            Assert.True(first >= 0, "the group around everything overlaps every area");
            Assert.Contains(first, expected);

            // Without the group around everything, some areas are empty.
            var cards = expected.Where(i => i != built.Count - 1).ToList();
            Assert.Equal(cards, found.Where(i => i != built.Count - 1).Order());
        }
    }

    [Fact]
    public void An_empty_grid_finds_nothing_until_something_is_added()
    {
        var grid = new SpatialGrid();
        var area = new Rect(0, 0, 100, 100);
        Assert.Equal(-1, grid.FirstIntersecting(area));

        grid.Add(new Rect(50, 50, 10, 10));
        grid.Add(new Rect(100, 0, 10, 10)); // touches the area's border only: not inside it
        var found = new List<int> { 42 };
        grid.Intersecting(area, found);
        Assert.Equal([0], found);
    }
}
