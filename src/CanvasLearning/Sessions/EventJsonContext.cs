using System.Text.Json.Serialization;

namespace CanvasLearning.Sessions;

/// <summary>
/// The payloads of the event stream (DESIGN.md's <c>data</c> objects), snake_case as the contract
/// says. Here, below the API, so the store and the real-time code serialize events without it.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ProgressUpdateData))]
[JsonSerializable(typeof(TaskCompletedData))]
[JsonSerializable(typeof(TaskFailedData))]
[JsonSerializable(typeof(GroupCompletedData))]
[JsonSerializable(typeof(SessionCompletedData))]
[JsonSerializable(typeof(ErrorData))]
[JsonSerializable(typeof(ConnectedData))]
public sealed partial class EventJsonContext : JsonSerializerContext;
