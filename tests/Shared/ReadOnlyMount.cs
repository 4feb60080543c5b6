namespace VqVae.TestSupport;

/// <summary>
/// A folder seen through a read-only bind mount for one test, so any write into it fails with EROFS, even
/// for root (who ignores file modes). Needs root (CI runs as root); without it the test fails with the
/// reason, it is not skipped.
/// </summary>
public sealed class ReadOnlyMount : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("vqvae-readonly-").FullName;

    public ReadOnlyMount(string folder)
    {
        var (code, error) = SystemCommand.Run("mount", "--bind", folder, Path);
        if (code == 0) (code, error) = SystemCommand.Run("mount", "-o", "remount,ro,bind", Path);
        if (code == 0) return;
        Dispose();
        throw new InvalidOperationException($"cannot mount {folder} read-only (this test needs root): {error}");
    }

    public void Dispose()
    {
        SystemCommand.Run("umount", "-l", Path);
        try { Directory.Delete(Path); } catch (IOException) { }
    }
}
