using System.Text;
using System.Text.Json.Nodes;

namespace CanvasLearning.Agents.OpenAi;

/// <summary>
/// The OpenAI SDK sends the answer's token limit as <c>max_completion_tokens</c>, which OpenAI's
/// newer models require but Ollama and other OpenAI-compatible servers ignore (they read the older
/// <c>max_tokens</c>). This renames the field in the request body when
/// <see cref="OpenAiAgentOptions.MaxTokensParameter"/> says so.
/// </summary>
internal sealed class TokenLimitFieldHandler(Microsoft.Extensions.Options.IOptions<OpenAiAgentOptions> options) : DelegatingHandler
{
    private const string Modern = "max_completion_tokens";
    private const string Legacy = "max_tokens";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (UsesLegacyField(options.Value) && request.Content is { } content)
        {
            var body = JsonNode.Parse(await content.ReadAsStringAsync(cancellationToken));
            if (body is JsonObject json && json[Modern] is { } limit)
            {
                json.Remove(Modern);
                json[Legacy] = limit;
                var replaced = new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json");
                content.Dispose();
                request.Content = replaced;
            }
        }

        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary><c>auto</c>: the modern field for api.openai.com and Azure OpenAI, <c>max_tokens</c> for every other server.</summary>
    internal static bool UsesLegacyField(OpenAiAgentOptions options) => options.MaxTokensParameter switch
    {
        Legacy => true,
        Modern => false,
        _ => Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var url)
             && !url.Host.EndsWith("openai.com", StringComparison.OrdinalIgnoreCase)
             && !url.Host.EndsWith("openai.azure.com", StringComparison.OrdinalIgnoreCase),
    };
}
