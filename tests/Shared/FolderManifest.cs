namespace VqVae.TestSupport;

/// <summary>Every entry below a folder with its bytes (hex) and modification time: an input folder's must never change.</summary>
public static class FolderManifest
{
    public static Dictionary<string, (string Bytes, DateTime Written)> Of(string folder) =>
        Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).ToDictionary(
            p => Path.GetRelativePath(folder, p),
            p => (File.Exists(p) ? Convert.ToHexString(File.ReadAllBytes(p)) : "folder", File.GetLastWriteTimeUtc(p)));
}
