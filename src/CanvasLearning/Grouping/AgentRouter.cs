using System.Globalization;
using System.Text.RegularExpressions;
using CanvasLearning.Agents;

namespace CanvasLearning.Grouping;

/// <summary>The agent recommended for a group, with how sure the rules are.</summary>
internal sealed record AgentRecommendation(string AgentType, double Confidence);

/// <summary>
/// Recommends an explanation agent for a group from the way its notes are phrased
/// ("A vs B", "什么是 X", "为什么 ...").
/// </summary>
internal static partial class AgentRouter
{
    public const double FallbackConfidence = 0.4;

    // English keywords must stand alone (no letter either side) so "why" does not match "whyte";
    // Han text around them is fine, so "快速排序vs归并排序" still counts as a comparison.
    // Listed in tie-breaking order: an equal share goes to the rule listed first.
    private static readonly (string Agent, Regex Pattern)[] s_rules =
    [
        (AgentTypes.ComparisonTable, ComparisonPattern()),
        (AgentTypes.OralExplanation, OralPattern()),
        (AgentTypes.MemoryAnchor, MemoryPattern()),
        (AgentTypes.ExampleTeaching, ExamplePattern()),
        (AgentTypes.ClarificationPath, ClarificationPattern()),
        (AgentTypes.DeepDecomposition, DeepPattern()),
    ];

    /// <summary>
    /// Each rule scores the share of the group's texts it matches; the highest share wins and
    /// confidence = 0.5 + 0.5 × share. No match at all: four-level-explanation at 0.4.
    /// </summary>
    public static AgentRecommendation Recommend(IReadOnlyList<string> texts)
    {
        if (texts.Count == 0)
        {
            return new AgentRecommendation(AgentTypes.FourLevelExplanation, FallbackConfidence);
        }

        var normalized = texts.Select(Normalize).ToArray();
        string? bestAgent = null;
        var bestShare = 0.0;
        foreach (var (agent, pattern) in s_rules)
        {
            var share = (double)normalized.Count(pattern.IsMatch) / normalized.Length;
            if (share > bestShare + 1e-12)
            {
                (bestAgent, bestShare) = (agent, share);
            }
        }

        return bestAgent is null
            ? new AgentRecommendation(AgentTypes.FourLevelExplanation, FallbackConfidence)
            : new AgentRecommendation(bestAgent, Math.Round(0.5 + 0.5 * bestShare, 2, MidpointRounding.AwayFromZero));
    }

    /// <summary>The emoji shown beside a group routed to <paramref name="agentType"/>.</summary>
    public static string EmojiFor(string agentType) => agentType switch
    {
        AgentTypes.ComparisonTable => "⚖️",
        AgentTypes.OralExplanation => "🗣️",
        AgentTypes.MemoryAnchor => "⚓",
        AgentTypes.ExampleTeaching => "🧪",
        AgentTypes.ClarificationPath => "🧭",
        AgentTypes.DeepDecomposition => "🔬",
        AgentTypes.BasicDecomposition => "🧩",
        _ => "📚",
    };

    private static string Normalize(string text) =>
        text.ToLower(CultureInfo.InvariantCulture).Replace('\u2019', '\'');

    [GeneratedRegex(@"(?<![a-z])(?:vs|versus|compare|compared|comparing|comparison|differences? between)(?![a-z])|区别|对比|比较|异同|有什么不同|有何不同")]
    private static partial Regex ComparisonPattern();

    // 定义域 (domain of a function) is a topic, not a request for a definition.
    [GeneratedRegex(@"(?<![a-z])(?:what is|what are|what's|define|defined|definition|definitions)(?![a-z])|(?<!为)什么是|是什么|定义(?!域)")]
    private static partial Regex OralPattern();

    [GeneratedRegex(@"(?<![a-z])(?:remember|mnemonics?|memori[sz]e|memori[sz]ing)(?![a-z])|记住|记忆|口诀|背诵|记不住")]
    private static partial Regex MemoryPattern();

    [GeneratedRegex(@"(?<![a-z])(?:examples?|how to|apply|applying|application)(?![a-z])|例子|举例|例题|应用|怎么用|如何使用")]
    private static partial Regex ExamplePattern();

    [GeneratedRegex(@"(?<![a-z])(?:confused|confusing|why|don't understand|do not understand)(?![a-z])|为什么|不懂|困惑|混淆|搞不清|不理解")]
    private static partial Regex ClarificationPattern();

    [GeneratedRegex(@"(?<![a-z])(?:how does|prove|proof|derive|derivation|mechanism)(?![a-z])|证明|推导|原理|机制")]
    private static partial Regex DeepPattern();
}
