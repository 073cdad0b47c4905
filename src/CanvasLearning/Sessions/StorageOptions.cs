using System.ComponentModel.DataAnnotations;

namespace CanvasLearning.Sessions;

/// <summary>Where session state and event logs live. Section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Folder of the SQLite database; empty means <c>.canvas-learning</c> inside the vault.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>How long a writer waits for the database lock before failing.</summary>
    [Range(100, 60_000)]
    public int BusyTimeoutMilliseconds { get; set; } = 5_000;
}
