namespace CanvasLearning.Grouping;

public static class GroupingServiceCollectionExtensions
{
    /// <summary>
    /// One analyzer for the process: it shares jieba's dictionaries, which take about a second
    /// and a few hundred MB to load.
    /// </summary>
    public static IServiceCollection AddGrouping(this IServiceCollection services) =>
        services.AddSingleton<CanvasAnalyzer>();
}
