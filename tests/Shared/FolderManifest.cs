using System.Security.Cryptography;

namespace VqVae.TestSupport;

/// <summary>Every folder and file under a root, hidden ones included, with each file's SHA-256: equal manifests, equal trees.</summary>
public static class FolderManifest
{
    static readonly EnumerationOptions All = new() { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };

    public static SortedDictionary<string, string> Of(string root)
    {
        var manifest = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", All))
        {
            var info = new FileInfo(path);
            manifest[Path.GetRelativePath(root, path)] =
                info.LinkTarget is { } target ? $"link to {target}"
                : Directory.Exists(path) ? "folder"
                : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        }
        return manifest;
    }

    /// <summary>What differs, one path a line: added, removed or changed.</summary>
    public static string Difference(SortedDictionary<string, string> before, SortedDictionary<string, string> after) =>
        string.Join("\n", before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Where(p => !before.TryGetValue(p, out var b) || !after.TryGetValue(p, out var a) || a != b)
            .Select(p => !before.ContainsKey(p) ? $"  added {p}" : !after.ContainsKey(p) ? $"  removed {p}" : $"  changed {p}"));
}
