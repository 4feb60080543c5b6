namespace VqVae.TestSupport;

/// <summary>
/// A small tmpfs mounted for one test, so a write really fails with ENOSPC. Needs root (CI runs as
/// root); without it the test fails with the reason, it is not skipped.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("vqvae-tmpfs-").FullName;

    public Tmpfs(string size)
    {
        var (code, error) = SystemCommand.Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", Path);
        if (code != 0)
        {
            Directory.Delete(Path);
            throw new InvalidOperationException($"cannot mount a {size} tmpfs (this test needs root): {error}");
        }
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Fills the file system until about <paramref name="leaveFree"/> bytes are left.</summary>
    public void Fill(long leaveFree)
    {
        long free = new DriveInfo(Path).AvailableFreeSpace;
        if (free > leaveFree) System.IO.File.WriteAllBytes(File("filler.bin"), new byte[free - leaveFree]);
    }

    public void Dispose()
    {
        SystemCommand.Run("umount", "-l", Path);
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
