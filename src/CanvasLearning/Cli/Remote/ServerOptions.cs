using System.CommandLine;

namespace CanvasLearning.Cli.Remote;

/// <summary>The options every command that talks to a running <c>serve</c> shares.</summary>
internal sealed class ServerOptions
{
    public const string DefaultServer = "http://127.0.0.1:5080";
    public const string ApiKeyVariable = "CANVAS_LEARNING_API_KEY";

    private ServerOptions(bool serverRequired)
    {
        Server = new Option<string?>("--server")
        {
            Description = serverRequired
                ? $"Address of a running `canvas-learning serve` (default {DefaultServer})"
                : "Run against a running `canvas-learning serve` at this address instead of in this process",
        };
        if (serverRequired)
        {
            Server.DefaultValueFactory = _ => DefaultServer;
        }
    }

    public Option<string?> Server { get; }

    public Option<string?> ApiKey { get; } = new("--api-key") { Description = $"The server's API key (Security:ApiKey), when it has one (default: ${ApiKeyVariable})" };

    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON for scripts instead of tables" };

    /// <summary>For watch, status, cancel, retry: <c>--server</c> defaults to the local <c>serve</c>.</summary>
    public static ServerOptions ForService() => new(serverRequired: true);

    /// <summary>For run: without <c>--server</c> it runs in this process.</summary>
    public static ServerOptions ForRun() => new(serverRequired: false);

    public static bool IsDefault(Uri server) => Uri.Compare(server, new Uri(DefaultServer), UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(ApiKey);
        command.Options.Add(Json);
    }

    /// <summary>A client for the server the options name; a bad address is a <see cref="ServiceException"/>.</summary>
    public ServiceClient Connect(ParseResult result)
    {
        var text = result.GetValue(Server) ?? DefaultServer;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
        {
            throw new ServiceException($"--server '{text}' is not an http:// or https:// address — for example {DefaultServer}", "invalid_request");
        }

        var key = result.GetValue(ApiKey) ?? Environment.GetEnvironmentVariable(ApiKeyVariable);
        return new ServiceClient(server, key);
    }
}
