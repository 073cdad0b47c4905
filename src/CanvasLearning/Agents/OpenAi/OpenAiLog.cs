namespace CanvasLearning.Agents.OpenAi;

internal static partial class OpenAiLog
{
    [LoggerMessage(3001, LogLevel.Warning, "Agent provider {Provider}: attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string provider, int attempt, string reason, long delayMs);

    [LoggerMessage(3002, LogLevel.Warning, "Agent provider answers 429 to most calls: at most {Limit} calls in flight now, new attempts wait {PauseMs} ms")]
    public static partial void RateLimited(ILogger logger, int limit, long pauseMs);

    [LoggerMessage(3003, LogLevel.Warning, "Agent provider {Provider} call failed ({ErrorType}): {Message}")]
    public static partial void CallFailed(ILogger logger, string provider, string errorType, string message);

    [LoggerMessage(3004, LogLevel.Information, "Agent provider {Provider}: model {Model} at {BaseUrl}, at most {MaxConcurrent} calls in flight, key from {ApiKeyVariable} ({KeyState})")]
    public static partial void Configured(ILogger logger, string provider, string model, string baseUrl, int maxConcurrent, string apiKeyVariable, string keyState);
}
