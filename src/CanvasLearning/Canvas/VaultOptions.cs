using System.ComponentModel.DataAnnotations;

namespace CanvasLearning.Canvas;

/// <summary>The vault the service works in. Section <c>Vault</c>.</summary>
public sealed class VaultOptions
{
    public const string Section = "Vault";

    /// <summary>Root folder of the Obsidian vault; every <c>canvas_path</c> is relative to it.</summary>
    [Required(ErrorMessage = "Vault:Root is required: pass --vault <folder> or set Vault__Root.")]
    public string Root { get; set; } = "";
}
