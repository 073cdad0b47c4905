using CanvasLearning.Realtime;

namespace CanvasLearning.Tests.Realtime;

public sealed class TailMembersTests
{
    [Fact]
    public void The_current_snapshot_holds_exactly_the_members_attached_in_the_order_they_joined()
    {
        var members = new TailMembers<string>();
        var all = Enumerable.Range(0, 100).Select(i => $"c{i}").ToList();
        all.ForEach(members.Add);
        members.Add(all[7]);
        foreach (var left in all.Where((_, i) => i % 3 != 0))
        {
            members.Remove(left);
        }

        members.Remove("never-joined");

        Assert.Equal(all.Where((_, i) => i % 3 == 0), Live(members.Current));
        Assert.Equal(34, Live(members.Current).Count);
    }

    [Fact]
    public void A_pass_under_way_still_finds_every_member_that_has_not_left_whatever_joins_and_leaves_meanwhile()
    {
        var random = new Random(7);
        var members = new TailMembers<object>();
        var live = new List<object>();
        for (var step = 0; step < 5_000; step++)
        {
            var before = members.Current;
            var stillThere = live.ToList();
            if (live.Count > 0 && random.Next(3) == 0)
            {
                var leaving = live[random.Next(live.Count)];
                live.Remove(leaving);
                stillThere.Remove(leaving);
                members.Remove(leaving);
            }
            else
            {
                var joining = new object();
                live.Add(joining);
                members.Add(joining);
            }

            // The snapshot a pass took before this change: nothing that is still attached is missing from it.
            Assert.Subset(Live(before).ToHashSet(), stillThere.ToHashSet());
            Assert.Equal(live, Live(members.Current));
        }
    }

    private static List<T> Live<T>(TailMembers<T>.Snapshot snapshot)
        where T : class =>
        snapshot.Slots.Take(snapshot.Used).OfType<T>().ToList();
}
