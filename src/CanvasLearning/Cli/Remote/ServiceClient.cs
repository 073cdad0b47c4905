using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CanvasLearning.Api;
using CanvasLearning.Api.Contracts;
using CanvasLearning.Execution;
using CanvasLearning.Grouping;

namespace CanvasLearning.Cli.Remote;

/// <summary>The REST calls of a running <c>serve</c>, with its API key when it has one; every failure is a <see cref="ServiceException"/>.</summary>
internal sealed class ServiceClient : IDisposable
{
    private const string Base = IntelligentParallelEndpoints.BasePath;
    private readonly HttpClient _http;

    public ServiceClient(Uri server, string? apiKey)
    {
        Server = server;
        ApiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey;
        _http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        if (ApiKey is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        }
    }

    public Uri Server { get; }

    public string? ApiKey { get; }

    public Task<AnalyzeResponse> AnalyzeAsync(AnalyzeRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, Base, Body(request, AppJsonContext.Default.AnalyzeRequest), AppJsonContext.Default.AnalyzeResponse, cancellationToken);

    public Task<ConfirmResponse> ConfirmAsync(ConfirmRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"{Base}/confirm", Body(request, AppJsonContext.Default.ConfirmRequest), AppJsonContext.Default.ConfirmResponse, cancellationToken);

    public Task<SessionStatusResponse> GetAsync(string sessionId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"{Base}/{Uri.EscapeDataString(sessionId)}", null, AppJsonContext.Default.SessionStatusResponse, cancellationToken);

    public Task<SessionListResponse> ListAsync(int pageSize, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"{Base}?page=1&page_size={pageSize}", null, AppJsonContext.Default.SessionListResponse, cancellationToken);

    public Task<CancelResponse> CancelAsync(string sessionId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"{Base}/cancel/{Uri.EscapeDataString(sessionId)}", null, AppJsonContext.Default.CancelResponse, cancellationToken);

    public Task<ConfirmResponse> RetryAsync(string sessionId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"{Base}/{Uri.EscapeDataString(sessionId)}/retry", null, AppJsonContext.Default.ConfirmResponse, cancellationToken);

    /// <summary>The session's socket under the REST base, resuming after <paramref name="lastSeq"/>.</summary>
    public Uri SocketUri(string sessionId, long lastSeq)
    {
        var ws = new UriBuilder(Server) { Scheme = Server.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" };
        ws.Path = ws.Path.TrimEnd('/') + "/api/v1/ws/intelligent-parallel/" + Uri.EscapeDataString(sessionId);
        var query = $"last_seq={lastSeq.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        ws.Query = ApiKey is null ? query : $"{query}&access_token={Uri.EscapeDataString(ApiKey)}";
        return ws.Uri;
    }

    public void Dispose() => _http.Dispose();

    private static StringContent Body<T>(T value, JsonTypeInfo<T> type) =>
        new(JsonSerializer.Serialize(value, type), Encoding.UTF8, "application/json");

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ex.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable($"no answer within {_http.Timeout.TotalSeconds:0} s");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw Refused(response.StatusCode, text);
            }

            try
            {
                return JsonSerializer.Deserialize(text, type) ?? throw new JsonException("null");
            }
            catch (JsonException)
            {
                throw new ServiceException($"{Server} answered {path} with something that is not the service's JSON; is --server the address of `canvas-learning serve`?", "bad_answer");
            }
        }
    }

    private ServiceException Unreachable(string why) =>
        new($"cannot reach the service at {Server} ({why}); start it with `canvas-learning serve --vault <folder>` or pass --server <url>", "unreachable");

    /// <summary>Problem details to one line: the server's detail, then what to do about it.</summary>
    private ServiceException Refused(HttpStatusCode status, string body)
    {
        string? detail = null;
        string? error = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                detail = doc.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
                error = doc.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // Not problem details (a proxy's page, say): the status says enough.
        }

        var code = (int)status;
        error ??= status == HttpStatusCode.Unauthorized ? "unauthorized" : $"http_{code}";
        detail = (detail ?? $"{Server} answered {code} {status}").ReplaceLineEndings(" ");
        var todo = Hint(error);
        return new ServiceException(todo is null ? detail : $"{detail} — {todo}", error, code);
    }

    private string? Hint(string error) => error switch
    {
        "unauthorized" => ApiKey is null
            ? "pass --api-key <key> or set CANVAS_LEARNING_API_KEY"
            : "the key given by --api-key or CANVAS_LEARNING_API_KEY is not the server's Security:ApiKey",
        "session_not_found" => "`canvas-learning status` lists the recent sessions",
        "session_already_completed" => "it has ended already; `canvas-learning status <id>` shows how",
        "nothing_to_retry" => "every node of it succeeded; nothing to do",
        "session_not_finished" => "it is still running; `canvas-learning watch <id>` follows it, `canvas-learning cancel <id>` stops it",
        "canvas_not_found" => "--canvas is relative to the vault the server serves",
        _ => null,
    };
}
