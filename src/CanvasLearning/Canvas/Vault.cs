namespace CanvasLearning.Canvas;

// CONTRACT STUB: to be implemented (vault confinement).
/// <summary>The vault root, and the rule that nothing resolves outside it.</summary>
public sealed class Vault(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>
    /// Resolves a vault-relative canvas path. Throws <see cref="VaultPathException"/> with
    /// <c>invalid_request</c> when it is empty, absolute, not a .canvas file or resolves outside the
    /// vault (.., links out), and <c>canvas_not_found</c> when no such file exists.
    /// </summary>
    public string ResolveCanvas(string relativePath) => throw new NotImplementedException();

    /// <summary>The vault-relative form of a path inside the vault, with forward slashes.</summary>
    public string ToRelative(string fullPath) => throw new NotImplementedException();
}

public sealed class VaultPathException(string errorCode, string message) : Exception(message)
{
    /// <summary><c>invalid_request</c> or <c>canvas_not_found</c>.</summary>
    public string ErrorCode { get; } = errorCode;
}
