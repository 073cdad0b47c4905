namespace CanvasLearning.Agents.OpenAi;

/// <summary>
/// Reads the whole answer inside the attempt: a body that stalls after the headers then counts as a
/// timed-out attempt (and is retried) instead of hanging until the node's timeout, and the 429
/// body can be read again to tell a rate limit from an exhausted quota.
/// </summary>
internal sealed class BufferingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
