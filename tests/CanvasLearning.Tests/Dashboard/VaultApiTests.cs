using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CanvasLearning.Tests.Support;
using static CanvasLearning.Tests.Api.ApiCalls;

namespace CanvasLearning.Tests.Dashboard;

/// <summary>The vault calls behind the dashboard, over HTTP: the canvas list and the rendered note, confined to the vault.</summary>
public sealed class VaultApiTests : IAsyncLifetime
{
    private readonly TestVault _vault = new(purpleNodes: 4);
    private readonly string _outside = Path.Combine(Path.GetTempPath(), "cl-outside-" + Guid.NewGuid().ToString("N")[..8]);
    private TestServer? _server;

    private HttpClient Client => _server!.Client;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_vault.Root, "notes", "deeper"));
        File.WriteAllText(Path.Combine(_vault.Root, "notes", "deeper", "mixed.canvas"),
            """{"nodes":[{"id":"a","type":"text","text":"x","x":0,"y":0,"width":1,"height":1,"color":"1"},{"id":"b","type":"text","text":"y","x":0,"y":0,"width":1,"height":1,"color":"#A1B2C3"},{"id":"c","type":"text","text":"z","x":0,"y":0,"width":1,"height":1,"color":"1"},{"id":"d","type":"file","file":"f.md","x":0,"y":0,"width":1,"height":1,"color":"1"}],"edges":[]}""");
        File.WriteAllText(Path.Combine(_vault.Root, "broken.canvas"), "{ not json");
        Directory.CreateDirectory(Path.Combine(_vault.Root, ".obsidian"));
        File.WriteAllText(Path.Combine(_vault.Root, ".obsidian", "hidden.canvas"), """{"nodes":[],"edges":[]}""");
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "secret.canvas"), """{"nodes":[],"edges":[]}""");
        File.WriteAllText(Path.Combine(_outside, "secret.md"), "# secret");
        Directory.CreateSymbolicLink(Path.Combine(_vault.Root, "linked-out"), _outside);
        File.WriteAllText(Path.Combine(_vault.Root, "notes", "note.md"),
            "---\nmodel: x\n---\n# Title\n\n<script>alert(1)</script>\n\n<b onclick=\"x()\">bold</b>\n\n" +
            "![far](https://example.invalid/a.png) ![near](pic.png)\n\n[a link](https://example.org) [js](javascript:alert(1))\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n");
        _server = await TestServer.StartAsync(_vault);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _vault.Dispose();
        Directory.Delete(_outside, recursive: true);
    }

    [Fact]
    public async Task The_canvas_list_gives_each_canvas_of_the_vault_with_its_text_nodes_per_color_and_nothing_from_hidden_folders_or_links_out()
    {
        using var response = await Client.GetPathAsync("/api/v1/vault/canvases");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.ReadObjectAsync();
        var canvases = answer["canvases"]!.AsArray().Select(c => c!.AsObject()).ToList();

        Assert.Equal(["broken.canvas", "notes/deeper/mixed.canvas", "study.canvas"], canvases.Select(c => Str(c, "path")));
        Assert.False(answer["truncated"]!.GetValue<bool>());
        var study = canvases.Single(c => Str(c, "path") == "study.canvas");
        Assert.Equal(5, Int(study, "text_nodes"));
        Assert.Equal(new FileInfo(_vault.CanvasFullPath).Length, study["size"]!.GetValue<long>());
        Assert.True(DateTimeOffset.TryParse(Str(study, "modified_at"), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Equal("""[{"color":"3","text_nodes":4},{"color":null,"text_nodes":1}]""", study["colors"]!.ToJsonString());
        var mixed = canvases.Single(c => Str(c, "path") == "notes/deeper/mixed.canvas");
        Assert.Equal("""[{"color":"1","text_nodes":2},{"color":"#a1b2c3","text_nodes":1}]""", mixed["colors"]!.ToJsonString());
        Assert.Null(mixed["error"]);
        var broken = canvases.Single(c => Str(c, "path") == "broken.canvas");
        Assert.Contains("not valid JSON", Str(broken, "error"), StringComparison.Ordinal);
        Assert.Empty(broken["colors"]!.AsArray());
    }

    [Fact]
    public async Task A_note_is_rendered_without_script_handlers_styles_or_images_and_keeps_its_tables_and_links()
    {
        using var response = await Client.GetPathAsync("/api/v1/vault/render?path=" + Uri.EscapeDataString("notes/note.md"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var note = await response.ReadObjectAsync();
        var html = Str(note, "html");

        Assert.Equal("notes/note.md", Str(note, "path"));
        Assert.Contains("<h1", html, StringComparison.Ordinal);
        Assert.Contains("<table>", html, StringComparison.Ordinal);
        var dom = new AngleSharp.Html.Parser.HtmlParser().ParseFragment(html, null!).OfType<AngleSharp.Dom.IElement>()
            .SelectMany(e => e.QuerySelectorAll("*").Prepend(e)).ToList();
        Assert.DoesNotContain(dom, e => e.LocalName is "script" or "img" or "iframe" or "style");
        Assert.DoesNotContain(dom, e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase) || a.Name == "style"));
        Assert.DoesNotContain(dom, e => e.GetAttribute("href")?.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase) == true);
        Assert.DoesNotContain("model: x", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.invalid/a.png\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.org\" rel=\"noopener noreferrer\" target=\"_blank\"", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../outside.md", "invalid_request")]
    [InlineData("/etc/passwd.md", "invalid_request")]
    [InlineData("notes/note.txt", "invalid_request")]
    [InlineData("linked-out/secret.md", "invalid_request")]
    [InlineData("notes/a?b.md", "invalid_request")]
    [InlineData("", "invalid_request")]
    public async Task A_note_path_that_is_not_a_Markdown_file_inside_the_vault_is_refused(string path, string error)
    {
        using var response = await Client.GetPathAsync("/api/v1/vault/render?path=" + Uri.EscapeDataString(path));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, error);
        AssertNamesField(problem, "path");
    }

    [Fact]
    public async Task A_missing_note_is_404_note_not_found()
    {
        using var response = await Client.GetPathAsync("/api/v1/vault/render?path=nowhere.md");
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "note_not_found");
    }

    [Fact]
    public async Task The_page_is_served_at_the_root_with_a_content_security_policy_that_keeps_every_request_on_this_server()
    {
        using var page = await Client.GetPathAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);

        using var script = await Client.GetPathAsync("/js/app.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        var config = JsonNode.Parse(await Client.GetStringAsync(new Uri("/dashboard/config", UriKind.Relative)))!;
        Assert.False(config["api_key_required"]!.GetValue<bool>());
    }

    [Fact]
    public async Task With_an_API_key_the_vault_calls_need_it_and_the_page_and_its_config_do_not()
    {
        const string key = "vault-key-0123456789abcdef";
        await using var server = await TestServer.StartAsync(_vault, settings: new Dictionary<string, string?> { ["Security:ApiKey"] = key });
        using (var refused = await server.Client.GetPathAsync("/api/v1/vault/canvases"))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        }

        using (var page = await server.Client.GetPathAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        var config = JsonNode.Parse(await server.Client.GetStringAsync(new Uri("/dashboard/config", UriKind.Relative)))!;
        Assert.True(config["api_key_required"]!.GetValue<bool>());
        server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var allowed = await server.Client.GetPathAsync("/api/v1/vault/canvases");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }
}
