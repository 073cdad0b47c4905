using CanvasLearning.Agents;

namespace CanvasLearning.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Agent_types_include_the_fallback() =>
        Assert.Contains(AgentTypes.FourLevelExplanation, AgentTypes.All);
}
