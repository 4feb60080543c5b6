namespace VqVaeMl.MlNet.Scoring;

/// <summary>An image file found under the scored folder; RelativePath uses '/' on every OS.</summary>
public sealed record ImageFile(string FullPath, string RelativePath);

/// <summary>
/// Walks a folder recursively for image files (by extension), lazily, in ordinal order of relative path:
/// runs and shards list files identically, and only one directory's listing is held at a time.
/// </summary>
public static class ImageFolder
{
    public static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".gif", ".bmp"];

    public static bool IsImageName(string name) =>
        Extensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    public static IEnumerable<ImageFile> Enumerate(string root, Shard shard) =>
        Walk(Path.GetFullPath(root), "").Where(f => shard.Contains(f.RelativePath));

    static IEnumerable<ImageFile> Walk(string directory, string prefix)
    {
        // A sub-folder sorts as "name/": then "a.png" < "a/…" < "a0.png", exactly as the full relative paths compare.
        var entries = new List<(string Key, string Path, bool IsDirectory)>();
        // Linked folders are not followed: a link back up the tree would make the walk endless.
        foreach (var d in Directory.EnumerateDirectories(directory))
            if (new DirectoryInfo(d).LinkTarget is null) entries.Add((Path.GetFileName(d) + "/", d, true));
        foreach (var f in Directory.EnumerateFiles(directory))
            if (IsImageName(f)) entries.Add((Path.GetFileName(f), f, false));
        entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var (key, path, isDirectory) in entries)
        {
            if (!isDirectory) { yield return new ImageFile(path, prefix + key); continue; }
            foreach (var file in Walk(path, prefix + key)) yield return file;
        }
    }
}
