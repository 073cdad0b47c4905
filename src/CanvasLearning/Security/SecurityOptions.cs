using System.ComponentModel.DataAnnotations;

namespace CanvasLearning.Security;

/// <summary>Who may call the service. Section <c>Security</c>.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>
    /// When set, REST calls need <c>Authorization: Bearer &lt;key&gt;</c> and WebSocket clients
    /// <c>?access_token=&lt;key&gt;</c>. Empty (the default) leaves a loopback-bound server open.
    /// </summary>
    [MinLength(16, ErrorMessage = "Security:ApiKey must be at least 16 characters when set")]
    public string? ApiKey { get; set; }

    /// <summary>
    /// Browser origins allowed to open WebSockets and to call REST from a page (CORS): Obsidian on
    /// desktop and on mobile by default. Loopback origins (any port) are always allowed; a request
    /// without Origin is a non-browser client and is allowed. Configured items add to the defaults.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = ["app://obsidian.md", "capacitor://localhost"];
}
