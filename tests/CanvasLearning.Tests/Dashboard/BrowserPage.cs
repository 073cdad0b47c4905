using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CanvasLearning.Tests.Dashboard;

/// <summary>
/// A page in its own browser context (own sessionStorage) that records every console error and
/// uncaught page error, so a test can assert there were none.
/// </summary>
internal sealed partial class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    private BrowserPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_errors)
                {
                    _errors.Add($"console: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add($"page error: {error}");
            }
        };
    }

    public IPage Page { get; }

    public static async Task<BrowserPage> OpenAsync(BrowserFixture browser, Uri server, string hash = "", int width = 1280, int height = 900)
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        context.SetDefaultTimeout(30_000);
        var page = new BrowserPage(context, await context.NewPageAsync());
        await page.Page.GotoAsync(new Uri(server, "/" + hash).ToString());
        return page;
    }

    /// <summary>
    /// No console error and no page error. <paramref name="socketRefusals"/>: the browser's own
    /// report of a refused or cut WebSocket ("WebSocket connection to ... failed") is expected in
    /// tests that refuse or cut sockets; nothing else is.
    /// </summary>
    public void AssertNoErrors(bool socketRefusals = false)
    {
        List<string> errors;
        lock (_errors)
        {
            errors = _errors.Where(e => !(socketRefusals && SocketFailure().IsMatch(e))).ToList();
        }

        Assert.True(errors.Count == 0, "errors in the page:\n" + string.Join("\n", errors));
    }

    /// <summary>A full-page screenshot under artifacts/screenshots of the repository; returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(Artifacts.Screenshots, name + ".png");
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    [GeneratedRegex(@"^console: WebSocket connection to 'ws://[^']+' failed")]
    private static partial Regex SocketFailure();
}

/// <summary>Where tests leave files for people: the repository's artifacts folder (ignored by git).</summary>
internal static class Artifacts
{
    public static string Screenshots { get; } = Create(Path.Combine(RepositoryRoot(), "artifacts", "screenshots"));

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CanvasLearning.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no CanvasLearning.sln above {AppContext.BaseDirectory}");
    }

    private static string Create(string path)
    {
        Directory.CreateDirectory(path);
        return path;
    }
}
