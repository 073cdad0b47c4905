using System.ComponentModel.DataAnnotations;

namespace CanvasLearning.Dashboard;

/// <summary>Limits of the dashboard's vault calls. Section <c>Dashboard</c>.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>Most canvases one <c>GET /api/v1/vault/canvases</c> lists; the answer says when there were more.</summary>
    [Range(1, 100_000, ErrorMessage = "Dashboard:MaxCanvases must be between 1 and 100000")]
    public int MaxCanvases { get; set; } = 2000;

    /// <summary>Canvases larger than this are listed without their node counts.</summary>
    [Range(1024, 1L << 30, ErrorMessage = "Dashboard:MaxCanvasBytes must be between 1024 and 1073741824")]
    public long MaxCanvasBytes { get; set; } = 32L << 20;

    /// <summary>Largest Markdown note <c>GET /api/v1/vault/render</c> renders.</summary>
    [Range(1024, 1L << 30, ErrorMessage = "Dashboard:MaxNoteBytes must be between 1024 and 1073741824")]
    public long MaxNoteBytes { get; set; } = 4L << 20;
}
