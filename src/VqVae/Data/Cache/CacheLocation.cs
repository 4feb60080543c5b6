using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace VqVae.Data.Cache;

/// <summary>A data folder's cache folder, and whether this call made it.</summary>
/// <param name="DataFolder">The data folder's real path (symbolic links resolved).</param>
public sealed record CacheFolder(string Path, string DataFolder, bool Created);

/// <summary>
/// Where a data folder's image caches live: never in the data folder (an input, which may be read-only,
/// under version control or shared), but in a folder of its own under the cache root,
/// <c>ROOT/NAME-HASH/</c>, HASH standing for the data folder's real path (symbolic links resolved, so
/// every link to one folder shares its cache). The root is <c>--cache-dir</c>, else
/// <c>$VQVAE_CACHE_DIR</c> (one cache for all tasks of a cluster array, on a shared file system), else the
/// user's cache folder: <c>$XDG_CACHE_HOME/vqvae</c> or <c>~/.cache/vqvae</c>, <c>%LOCALAPPDATA%\vqvae</c>
/// on Windows. Each cache folder holds <see cref="OriginFile"/>, naming its data folder, by which
/// <c>cache list</c> and <c>cache clear</c> know the folders the tool made.
/// </summary>
public static class CacheLocation
{
    public const string EnvironmentVariable = "VQVAE_CACHE_DIR";

    /// <summary>Written into each cache folder: the data folder it belongs to.</summary>
    public const string OriginFile = "vqvae-cache.json";

    /// <summary>Where earlier versions put the cache, inside the data folder; never read or written now.</summary>
    public const string LegacyFolderName = ".vqvae-cache";

    /// <summary>The cache root: <paramref name="cacheDir"/> (--cache-dir), else the environment's choice.</summary>
    /// <param name="environment">Reads an environment variable (tests pass their own).</param>
    public static string Root(string? cacheDir = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrEmpty(cacheDir)) return Path.GetFullPath(cacheDir);
        var chosen = environment(EnvironmentVariable);
        if (!string.IsNullOrEmpty(chosen)) return Path.GetFullPath(chosen);
        if (OperatingSystem.IsWindows())
        {
            var local = environment("LOCALAPPDATA");
            return Path.Combine(!string.IsNullOrEmpty(local) ? local : Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "vqvae");
        }
        // The XDG base directory specification ignores a relative XDG_CACHE_HOME.
        var xdg = environment("XDG_CACHE_HOME");
        var home = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg) ? xdg : Path.Combine(home, ".cache"), "vqvae");
    }

    /// <summary>The cache folder of <paramref name="dataFolder"/> under <paramref name="root"/>, created with its <see cref="OriginFile"/>.</summary>
    public static CacheFolder For(string dataFolder, string root)
    {
        var data = RealPath.Of(dataFolder);
        var realRoot = RealPath.Of(root);
        if (realRoot == data || RealPath.IsInside(realRoot, data))
            throw new IOException($"cache folder {root} lies inside the data folder {data}; a data folder is never written to, so choose a --cache-dir outside it");
        var folder = Path.Combine(root, FolderName(data));
        var origin = Path.Combine(folder, OriginFile);
        try
        {
            Directory.CreateDirectory(folder);
            if (File.Exists(origin)) return new CacheFolder(folder, data, Created: false);
            AtomicFile.WriteAllText(origin, JsonSerializer.Serialize(new CacheOrigin(data), OriginJson));
            return new CacheFolder(folder, data, Created: true);
        }
        catch (Exception e) when ((e is IOException or UnauthorizedAccessException) && !DiskFull.Is(e))
        {
            throw new IOException($"{folder}: cannot write the image cache there ({e.Message}); choose another place with --cache-dir or {EnvironmentVariable}", e);
        }
    }

    /// <summary>The data folder named by a cache folder's <see cref="OriginFile"/>; null when it has none (not made by this tool).</summary>
    public static string? DataFolderOf(string cacheFolder)
    {
        var origin = Path.Combine(cacheFolder, OriginFile);
        if (!File.Exists(origin)) return null;
        try { return JsonSerializer.Deserialize<CacheOrigin>(File.ReadAllText(origin), OriginJson)?.DataFolder; }
        catch (Exception e) when (e is JsonException or IOException) { return null; }
    }

    /// <summary>An earlier version's cache inside the data folder, if there is one (only looked at, never opened).</summary>
    public static string? LegacyFolder(string dataFolder)
    {
        var legacy = Path.Combine(dataFolder, LegacyFolderName);
        return Directory.Exists(legacy) ? legacy : null;
    }

    /// <summary>The data folder's own name, for people reading the cache root, then 16 hex digits of its real path's SHA-256.</summary>
    static string FolderName(string realDataFolder)
    {
        var name = Path.GetFileName(realDataFolder);
        var readable = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray()).TrimStart('.');
        if (readable.Length > 40) readable = readable[..40];
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(realDataFolder)))[..16];
        return readable.Length > 0 ? $"{readable}-{hash}" : hash;
    }

    sealed record CacheOrigin(string DataFolder);

    static readonly JsonSerializerOptions OriginJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };
}
