using CanvasLearning.Api;
using CanvasLearning.Canvas;
using Ganss.Xss;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Dashboard;

/// <summary>
/// A Markdown note of the vault as HTML that is safe to put in the page: raw HTML in the note is
/// shown as text, images become links (nothing is loaded from elsewhere, and vault-relative images
/// have no URL here), and the output goes through an HTML sanitizer (no script, no event handlers,
/// no inline styles, which the page's Content-Security-Policy would refuse anyway).
/// </summary>
public sealed class NoteRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseAdvancedExtensions()
        .UseYamlFrontMatter()
        .DisableHtml()
        .Build();

    private readonly Vault _vault;
    private readonly DashboardOptions _options;
    private readonly HtmlSanitizer _sanitizer;

    public NoteRenderer(Vault vault, IOptions<DashboardOptions> options)
    {
        _vault = vault;
        _options = options.Value;
        _sanitizer = new HtmlSanitizer();
        _sanitizer.AllowedTags.Remove("img");
        _sanitizer.AllowedTags.Remove("form");
        _sanitizer.AllowedAttributes.Remove("style");
        _sanitizer.AllowedSchemes.Add("mailto");
        _sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { LocalName: "a" } link && link.HasAttribute("href"))
            {
                link.SetAttribute("rel", "noopener noreferrer");
                link.SetAttribute("target", "_blank");
            }
        };
    }

    public async Task<RenderedNote> RenderAsync(string? relativePath, CancellationToken cancellationToken = default)
    {
        var (full, path) = NotePaths.Resolve(_vault, relativePath);
        var info = new FileInfo(full);
        if (info.Length > _options.MaxNoteBytes)
        {
            throw new RequestException(StatusCodes.Status422UnprocessableEntity, "note_too_large",
                $"'{path}' is {info.Length} bytes, more than the dashboard shows ({_options.MaxNoteBytes}, Dashboard:MaxNoteBytes); open it in Obsidian");
        }

        var markdown = await File.ReadAllTextAsync(full, cancellationToken);
        return new RenderedNote(path, ToSafeHtml(markdown), info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero));
    }

    /// <summary>Markdown to sanitized HTML.</summary>
    public string ToSafeHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var image in document.Descendants<LinkInline>().Where(l => l.IsImage).ToList())
        {
            // Shown as a link to the image: the reader decides whether to open it.
            image.IsImage = false;
            if (image.FirstChild is null)
            {
                image.AppendChild(new LiteralInline("image: " + image.Url));
            }
        }

        return _sanitizer.Sanitize(document.ToHtml(Pipeline));
    }
}
