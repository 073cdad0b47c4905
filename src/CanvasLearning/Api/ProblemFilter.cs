namespace CanvasLearning.Api;

/// <summary>Turns a refused request into RFC 9457 problem details with the contract's <c>error</c> code.</summary>
internal static class ProblemFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (RequestException ex)
        {
            var extensions = new Dictionary<string, object?> { ["error"] = ex.Error };
            if (ex.Fields is not null)
            {
                extensions["errors"] = ex.Fields;
            }

            return TypedResults.Problem(ex.Message, statusCode: ex.Status, title: Title(ex.Status), extensions: extensions);
        }
    }

    private static string Title(int status) => status switch
    {
        400 => "The request is not valid",
        404 => "Not found",
        409 => "Conflict with the session's state",
        415 => "Unsupported media type",
        422 => "The canvas cannot be processed",
        _ => "Request refused",
    };
}
