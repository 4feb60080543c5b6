namespace VqVae.Data.Cache;

/// <summary>One cache folder under the cache root: the data folder it belongs to, and what it holds.</summary>
public sealed record CacheEntry(string Folder, string DataFolder, long Bytes, int Files);

/// <summary>What `cache clear` did with one cache folder: removed it, or kept it and why.</summary>
public sealed record ClearOutcome(CacheEntry Entry, bool Removed, string? KeptBecause);

/// <summary>
/// The cache folders under a cache root that this tool made (those holding <see cref="CacheLocation.OriginFile"/>),
/// listed or removed. Clearing removes only the files the tool writes there (the caches, the origin file,
/// temporaries of builds that are gone), so a folder someone else put files into, or one a build on this
/// or another host is still writing, is kept and said so.
/// </summary>
public static class CacheFolders
{
    public static IReadOnlyList<CacheEntry> List(string root)
    {
        if (!Directory.Exists(root)) return [];
        var entries = new List<CacheEntry>();
        foreach (var folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            if (CacheLocation.DataFolderOf(folder) is not { } data) continue;
            var files = new DirectoryInfo(folder).GetFiles();
            entries.Add(new CacheEntry(folder, data, files.Sum(f => f.Length), files.Length));
        }
        return entries;
    }

    /// <summary>Removes every cache folder under <paramref name="root"/>, or only <paramref name="dataFolder"/>'s.</summary>
    public static IReadOnlyList<ClearOutcome> Clear(string root, string? dataFolder = null)
    {
        var only = dataFolder is null ? null : RealPath.Of(dataFolder);
        return List(root).Where(e => only is null || e.DataFolder == only).Select(Remove).ToList();
    }

    /// <summary>The bytes of the finished caches in <paramref name="folder"/> (not other processes' builds in progress), for the one line a run prints.</summary>
    public static long Size(string folder) =>
        new DirectoryInfo(folder).GetFiles("*" + ImageCacheStore.Extension).Where(f => !f.Name.StartsWith('.')).Sum(f => f.Length);

    static ClearOutcome Remove(CacheEntry entry)
    {
        var others = Directory.GetFileSystemEntries(entry.Folder).Select(Path.GetFileName).OfType<string>()
            .Where(name => !IsOurs(name)).Order(StringComparer.Ordinal).ToList();
        var building = others.Where(name => name.Contains(".tmp-", StringComparison.Ordinal)).ToList();
        if (building.Count > 0) return new ClearOutcome(entry, false, $"a build is still writing to it ({building[0]})");
        if (others.Count > 0) return new ClearOutcome(entry, false, $"it holds files the tool did not write ({string.Join(", ", others)})");
        try
        {
            foreach (var file in Directory.GetFiles(entry.Folder).Where(f => Path.GetFileName(f) != CacheLocation.OriginFile)) File.Delete(file);
            // The origin file last: a clear cut short leaves a folder the next clear still recognises.
            File.Delete(Path.Combine(entry.Folder, CacheLocation.OriginFile));
            Directory.Delete(entry.Folder);
            return new ClearOutcome(entry, true, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A build that started meanwhile, or (Windows) a cache a running process has mapped.
            return new ClearOutcome(entry, false, $"in use ({e.Message})");
        }
    }

    /// <summary>A file the tool writes into a cache folder: a cache, the origin file, or a temporary whose build is gone.</summary>
    static bool IsOurs(string name) =>
        name == CacheLocation.OriginFile || name.EndsWith(ImageCacheStore.Extension, StringComparison.Ordinal) || StaleTemporaries.IsAbandoned(name);
}
