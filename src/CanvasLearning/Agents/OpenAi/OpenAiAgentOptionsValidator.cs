using Microsoft.Extensions.Options;

namespace CanvasLearning.Agents.OpenAi;

/// <summary>Checks what data annotations cannot: the URL, the key's whereabouts.</summary>
internal sealed class OpenAiAgentOptionsValidator(IOptions<Execution.EngineOptions> engine) : IValidateOptions<OpenAiAgentOptions>
{
    public ValidateOptionsResult Validate(string? name, OpenAiAgentOptions options)
    {
        if (!options.IsConfigured)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            failures.Add($"Agents:OpenAI:ApiKey is refused: keep keys out of configuration and set the environment variable {options.ApiKeyVariable} (named by Agents:OpenAI:ApiKeyVariable) instead");
        }

        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            failures.Add($"Agents:OpenAI:BaseUrl '{options.BaseUrl}' must be an absolute http(s) URL such as https://api.openai.com/v1 or http://localhost:11434/v1");
        }
        else if ((options.RequireApiKey ?? !url.IsLoopback) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(options.ApiKeyVariable)))
        {
            failures.Add($"the environment variable {options.ApiKeyVariable} is empty but {url.Host} needs a key; set it to your API key (or name another variable in Agents:OpenAI:ApiKeyVariable), or set Agents:OpenAI:RequireApiKey=false if that server takes none");
        }

        var nodeTimeout = engine.Value.NodeTimeoutSeconds;
        if (options.AttemptTimeoutSeconds > nodeTimeout)
        {
            failures.Add($"Agents:OpenAI:AttemptTimeoutSeconds ({options.AttemptTimeoutSeconds}) exceeds Engine:NodeTimeoutSeconds ({nodeTimeout}), so a slow answer would fail the node before the attempt timeout could retry it; raise Engine:NodeTimeoutSeconds or lower the attempt timeout");
        }

        if (options.RateLimitWaitSeconds >= nodeTimeout)
        {
            failures.Add($"Agents:OpenAI:RateLimitWaitSeconds ({options.RateLimitWaitSeconds}) must be below Engine:NodeTimeoutSeconds ({nodeTimeout}), or a throttled node would be reported as timed out; lower it or raise the node timeout");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
