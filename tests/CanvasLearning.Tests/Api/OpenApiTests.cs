using System.Net;
using System.Text.Json.Nodes;

namespace CanvasLearning.Tests.Api;

public sealed class OpenApiTests() : ApiTestBase(purpleNodes: 2)
{
    [Fact]
    public async Task The_openapi_document_lists_every_rest_path()
    {
        using var response = await Client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        var paths = document["paths"]!.AsObject().Select(p => p.Key.TrimEnd('/')).ToList();
        const string Base = ApiCalls.Base;
        Assert.Contains(Base, paths);
        Assert.Contains($"{Base}/confirm", paths);
        Assert.Contains($"{Base}/{{session_id}}", paths);
        Assert.Contains($"{Base}/cancel/{{session_id}}", paths);
        Assert.Contains($"{Base}/{{session_id}}/retry", paths);
        Assert.Contains("/api/v1/canvas/single-agent", paths);
        var basePath = document["paths"]!.AsObject().First(p => p.Key.TrimEnd('/') == Base).Value!;
        Assert.NotNull(basePath["get"]);
        Assert.NotNull(basePath["post"]);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_request_bodies()
    {
        using var response = await Client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var paths = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["paths"]!.AsObject();

        foreach (var path in new[] { $"{ApiCalls.Base}/confirm", "/api/v1/canvas/single-agent" })
        {
            Assert.NotNull(paths[path]?["post"]?["requestBody"]);
        }
    }

    [Fact]
    public async Task The_openapi_document_says_when_a_sessions_timeout_starts_counting()
    {
        using var response = await Client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var schema = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["components"]!["schemas"]!["ConfirmRequest"]!;

        var description = schema["properties"]!["timeout"]!["description"]!.GetValue<string>();
        Assert.Contains("counted from when its first node starts", description, StringComparison.Ordinal);
    }
}
