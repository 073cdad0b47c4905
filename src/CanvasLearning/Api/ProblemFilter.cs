using CanvasLearning.Execution;
using Microsoft.AspNetCore.Http.HttpResults;

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
            return Problem(ex.Status, ex.Error, ex.Message, ex.Fields);
        }
        catch (RefusalException ex)
        {
            return Problem(StatusOf(ex.Kind), ex.Error, ex.Message, ex.Fields);
        }
    }

    public static int StatusOf(RefusalKind kind) => kind switch
    {
        RefusalKind.NotFound => StatusCodes.Status404NotFound,
        RefusalKind.Conflict => StatusCodes.Status409Conflict,
        RefusalKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status400BadRequest,
    };

    private static ProblemHttpResult Problem(int status, string error, string detail, IReadOnlyDictionary<string, string[]>? fields)
    {
        var extensions = new Dictionary<string, object?> { ["error"] = error };
        if (fields is not null)
        {
            extensions["errors"] = fields;
        }

        return TypedResults.Problem(detail, statusCode: status, title: Title(status), extensions: extensions);
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
