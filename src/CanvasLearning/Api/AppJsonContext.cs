using System.Text.Json.Serialization;
using CanvasLearning.Api.Contracts;
using CanvasLearning.Dashboard;
using CanvasLearning.Execution;
using CanvasLearning.Grouping;

namespace CanvasLearning.Api;

/// <summary>The one serializer context: every wire payload, snake_case as the contract says.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    AllowTrailingCommas = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(AnalyzeRequest))]
[JsonSerializable(typeof(AnalyzeResponse))]
[JsonSerializable(typeof(ConfirmRequest))]
[JsonSerializable(typeof(ConfirmResponse))]
[JsonSerializable(typeof(SessionStatusResponse))]
[JsonSerializable(typeof(CancelResponse))]
[JsonSerializable(typeof(SessionListResponse))]
[JsonSerializable(typeof(SingleAgentRequest))]
[JsonSerializable(typeof(SingleAgentResponse))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
[JsonSerializable(typeof(CanvasListResponse))]
[JsonSerializable(typeof(RenderedNote))]
[JsonSerializable(typeof(DashboardConfig))]
public sealed partial class AppJsonContext : JsonSerializerContext;
