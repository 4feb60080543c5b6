namespace VqVae.Data.Cache;

/// <summary>What opening a cache did: reused it, or (re)built it and why, with how many images were decoded.</summary>
public sealed record CacheOutcome(string Path, bool Built, int Decoded, string Reason);

/// <summary>
/// Opens the cache of a source, building it first when there is none, when it is stale (the source's
/// fingerprint changed) or when it is damaged (cut short, wrong header, checksum mismatch).
/// A cache that is valid and current is mapped as it is: no image is decoded. Processes that start at
/// once on a fresh folder each build into a temporary of their own and rename it into place, so none
/// reads a half-written cache; the last rename wins, with the same bytes.
/// </summary>
public static class ImageCacheStore
{
    /// <summary>How every cache file's name ends.</summary>
    public const string Extension = ".u8cache";

    /// <summary>The cache of every image below <paramref name="folder"/>, at C×H×W, in <paramref name="cacheFolder"/>.</summary>
    public static (ImageCache Cache, CacheOutcome Outcome) OpenFolder(string folder, int channels, int height, int width, string cacheFolder)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), $"channels must be 1 or 3, not {channels}");
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"image size {height}x{width} must be positive");
        var files = ImageFolderListing.List(folder);
        var hash = SourceFingerprint.OfFolder(files, channels, height, width);
        var path = Path.Combine(cacheFolder, $"images-{channels}x{height}x{width}{Extension}");
        return Open(path, hash, () => ImageCacheBuilder.BuildFromFolder(path, folder, files, channels, height, width, hash));
    }

    /// <summary>The cache of an IDX image file (plain or gzipped).</summary>
    public static (ImageCache Cache, CacheOutcome Outcome) OpenIdx(string idxFile, string cacheFolder)
    {
        var hash = SourceFingerprint.OfIdxFile(idxFile);
        var name = Path.GetFileName(idxFile);
        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) name = name[..^3];
        // Without "idx3-ubyte" in its name, so a search for IDX files never takes the cache for one.
        var path = Path.Combine(cacheFolder, $"{name.Replace("-idx3-ubyte", "", StringComparison.Ordinal)}{Extension}");
        return Open(path, hash, () => ImageCacheBuilder.BuildFromIdx(path, idxFile, hash));
    }

    static (ImageCache, CacheOutcome) Open(string path, byte[] hash, Func<int> build)
    {
        string reason;
        if (!File.Exists(path)) reason = "no cache yet";
        else
        {
            var (existing, problem) = ImageCache.TryOpen(path);
            if (existing is not null && existing.SourceHash.AsSpan().SequenceEqual(hash))
                return (existing, new CacheOutcome(path, Built: false, Decoded: 0, "up to date"));
            existing?.Dispose();
            reason = problem is null ? "the source changed since it was built" : $"the cache was damaged: {problem}";
        }
        StaleTemporaries.Remove(Path.GetDirectoryName(path)!);
        int decoded;
        try { decoded = build(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && !DiskFull.Is(e))
        {
            // Windows refuses to rename over a cache another process has mapped: that one, if current, serves.
            var (other, _) = ImageCache.TryOpen(path);
            if (other is not null && other.SourceHash.AsSpan().SequenceEqual(hash))
                return (other, new CacheOutcome(path, Built: false, Decoded: 0, "built by another process meanwhile"));
            other?.Dispose();
            throw;
        }
        var (cache, error) = ImageCache.TryOpen(path);
        if (cache is null) throw new IOException($"{path}: the cache just written does not read back: {error}");
        return (cache, new CacheOutcome(path, Built: true, decoded, reason));
    }
}
