using CanvasLearning.Canvas;

namespace CanvasLearning.Tests.Canvas;

public sealed class VaultTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _vaultRoot;
    private readonly Vault _vault;

    public VaultTests()
    {
        _vaultRoot = _temp.Combine("vault");
        _temp.Write("vault/notes/math.canvas", "{}");
        _temp.Write("vault/notes/readme.md", "# hi");
        _temp.Write("outside/secret.canvas", "{}");
        _vault = new Vault(_vaultRoot);
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("notes/math.canvas")]
    [InlineData("notes\\math.canvas")]
    [InlineData("./notes/../notes/math.canvas")]
    [InlineData("notes//math.canvas")]
    public void Relative_paths_resolve_inside_the_vault(string relative) =>
        Assert.Equal(Path.Combine(_vaultRoot, "notes", "math.canvas"), _vault.ResolveCanvas(relative));

    [Fact]
    public void Extension_is_case_insensitive()
    {
        var path = _temp.Write("vault/notes/Upper.CANVAS", "{}");

        Assert.Equal(path, _vault.ResolveCanvas("notes/Upper.CANVAS"));
    }

    [Theory]
    [InlineData("../outside/secret.canvas")]
    [InlineData("notes/../../outside/secret.canvas")]
    [InlineData("..\\outside\\secret.canvas")]
    public void Dot_dot_escape_is_refused(string relative)
    {
        var ex = Assert.Throws<VaultPathException>(() => _vault.ResolveCanvas(relative));

        Assert.Equal("invalid_request", ex.ErrorCode);
        Assert.Contains("inside the vault", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/etc/x.canvas")]
    [InlineData("\\server\\share\\x.canvas")]
    [InlineData("C:\\vault\\x.canvas")]
    [InlineData("c:x.canvas")]
    public void Absolute_paths_are_refused(string path)
    {
        var ex = Assert.Throws<VaultPathException>(() => _vault.ResolveCanvas(path));

        Assert.Equal("invalid_request", ex.ErrorCode);
        Assert.Contains("relative to the vault root, e.g. 'notes/math.canvas'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Absolute_path_of_a_canvas_inside_the_vault_is_still_refused()
    {
        var ex = Assert.Throws<VaultPathException>(() => _vault.ResolveCanvas(Path.Combine(_vaultRoot, "notes", "math.canvas")));

        Assert.Equal("invalid_request", ex.ErrorCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("notes/readme.md")]
    [InlineData("notes/math.canvas.bak")]
    [InlineData("notes")]
    [InlineData("notes/ma\0th.canvas")]
    [InlineData("notes/ma\nth.canvas")]
    [InlineData("notes/math.canvas:stream.canvas")]
    [InlineData("notes/m?th.canvas")]
    public void Empty_wrong_extension_and_invalid_characters_are_refused(string? path)
    {
        var ex = Assert.Throws<VaultPathException>(() => _vault.ResolveCanvas(path!));

        Assert.Equal("invalid_request", ex.ErrorCode);
        Assert.Contains("canvas_path", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_canvas_not_found()
    {
        var ex = Assert.Throws<VaultPathException>(() => _vault.ResolveCanvas("notes/nope.canvas"));

        Assert.Equal("canvas_not_found", ex.ErrorCode);
        Assert.Contains("notes/nope.canvas", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Directory_link_pointing_outside_is_refused()
    {
        if (!TryLink(() => Directory.CreateSymbolicLink(Path.Combine(_vaultRoot, "linked"), _temp.Combine("outside"))))
        {
            return;
        }

        var ex = Assert.Throws<VaultPathException>(() => _vault.ResolveCanvas("linked/secret.canvas"));

        Assert.Equal("invalid_request", ex.ErrorCode);
        Assert.Contains("link", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_link_pointing_outside_is_refused()
    {
        if (!TryLink(() => File.CreateSymbolicLink(Path.Combine(_vaultRoot, "notes", "evil.canvas"), _temp.Combine("outside", "secret.canvas"))))
        {
            return;
        }

        Assert.Equal("invalid_request", Assert.Throws<VaultPathException>(() => _vault.ResolveCanvas("notes/evil.canvas")).ErrorCode);
    }

    [Fact]
    public void Relative_link_chain_leading_outside_is_refused()
    {
        // inner -> ../hop (inside the vault), hop -> ../outside: only following both shows the escape.
        var ok = TryLink(() => Directory.CreateSymbolicLink(Path.Combine(_vaultRoot, "hop"), Path.Combine("..", "outside")))
            && TryLink(() => Directory.CreateSymbolicLink(Path.Combine(_vaultRoot, "notes", "inner"), Path.Combine("..", "hop")));
        if (!ok)
        {
            return;
        }

        Assert.Equal("invalid_request", Assert.Throws<VaultPathException>(() => _vault.ResolveCanvas("notes/inner/secret.canvas")).ErrorCode);
    }

    [Fact]
    public void Link_that_stays_inside_the_vault_is_accepted()
    {
        if (!TryLink(() => Directory.CreateSymbolicLink(Path.Combine(_vaultRoot, "alias"), Path.Combine(_vaultRoot, "notes"))))
        {
            return;
        }

        Assert.Equal(Path.Combine(_vaultRoot, "alias", "math.canvas"), _vault.ResolveCanvas("alias/math.canvas"));
    }

    [Fact]
    public void Vault_root_behind_a_link_still_works()
    {
        var linkedRoot = _temp.Combine("vault-link");
        if (!TryLink(() => Directory.CreateSymbolicLink(linkedRoot, _vaultRoot)))
        {
            return;
        }

        Assert.Equal(Path.Combine(linkedRoot, "notes", "math.canvas"), new Vault(linkedRoot).ResolveCanvas("notes/math.canvas"));
    }

    [Fact]
    public void ToRelative_uses_forward_slashes()
    {
        Assert.Equal("notes/math.canvas", _vault.ToRelative(Path.Combine(_vaultRoot, "notes", "math.canvas")));
        Assert.Throws<ArgumentException>(() => _vault.ToRelative(_temp.Combine("outside", "secret.canvas")));
    }

    // Creating links may need privileges on Windows; the confinement rules still hold elsewhere.
    private static bool TryLink(Action create)
    {
        try
        {
            create();
            return true;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException && OperatingSystem.IsWindows())
        {
            return false;
        }
    }
}
