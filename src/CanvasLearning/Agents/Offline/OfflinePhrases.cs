namespace CanvasLearning.Agents.Offline;

/// <summary>
/// The fixed wording around every scaffold, in the learner's language. The per-agent bodies
/// live in the Markdown templates; these are the pieces the code itself writes.
/// </summary>
internal sealed record OfflinePhrases(
    string Code,
    string UntitledConcept,
    string CalloutTitle,
    string CalloutBody,
    string SourceNoteTitle,
    string RelatedHeading,
    string RelatedConceptColumn,
    string NearestFallback,
    string KnownConceptPrompt,
    string ListSeparator,
    string LastSeparator)
{
    public static OfflinePhrases English { get; } = new(
        Code: "en",
        UntitledConcept: "Untitled concept",
        CalloutTitle: "Generated offline",
        CalloutBody: "This is a study scaffold built on this machine without a language model: "
            + "the headings and prompts are for you to fill in, in your own words. "
            + "For a model-written explanation, configure an OpenAI-compatible provider "
            + "(set `Agents:Provider` to `openai`, with its endpoint and API key) and run this node again.",
        SourceNoteTitle: "Your note",
        RelatedHeading: "Related concepts",
        RelatedConceptColumn: "Related concept",
        NearestFallback: "a similar concept",
        KnownConceptPrompt: "_a concept you already understand that this one builds on_",
        ListSeparator: ", ",
        LastSeparator: " and ");

    public static OfflinePhrases Chinese { get; } = new(
        Code: "zh",
        UntitledConcept: "未命名概念",
        CalloutTitle: "离线生成",
        CalloutBody: "这是在本机离线生成的学习框架，没有调用语言模型：标题和提示留给你用自己的话填写。"
            + "若需要由模型撰写的讲解，请配置 OpenAI 兼容的模型提供方"
            + "（设置 `Agents:Provider` 为 `openai`，并配置其地址和 API 密钥），然后重新运行此节点。",
        SourceNoteTitle: "你的笔记",
        RelatedHeading: "相关概念",
        RelatedConceptColumn: "相关概念",
        NearestFallback: "相近的概念",
        KnownConceptPrompt: "_一个你已经理解、且这个概念以它为基础的概念_",
        ListSeparator: "、",
        LastSeparator: "和");

    public bool IsChinese => Code == "zh";

    /// <summary>"A, B and C" / "A、B和C" (or "BFS 和 DFS": Chinese spaces a Latin name off).</summary>
    public string JoinItems(IReadOnlyList<string> items)
    {
        if (items.Count < 2)
        {
            return items.Count == 0 ? string.Empty : items[0];
        }

        var last = IsChinese && !items.All(ConceptText.ContainsCjk) ? " " + LastSeparator + " " : LastSeparator;
        return string.Join(ListSeparator, items.Take(items.Count - 1)) + last + items[^1];
    }
}
