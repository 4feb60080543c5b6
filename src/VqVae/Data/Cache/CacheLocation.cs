using System.Security.Cryptography;
using System.Text;

namespace VqVae.Data.Cache;

/// <summary>
/// Where a data folder's caches live: <c>&lt;data&gt;/.vqvae-cache/</c>, beside the images they were
/// made from, so every run on that folder (and `patch-floor`) finds them; when the data folder cannot
/// be written to, a folder of its own under the user's cache folder
/// (<c>$XDG_CACHE_HOME/vqvae/&lt;hash of the data folder's path&gt;/</c>, by default <c>~/.cache/vqvae/…</c>).
/// Nothing else is ever written into the data folder.
/// </summary>
public static class CacheLocation
{
    public const string FolderName = ".vqvae-cache";

    /// <summary>
    /// The cache folder for <paramref name="dataFolder"/>, created; <paramref name="fallbackRoot"/>
    /// (default: the user's cache folder) is used when the data folder refuses a write.
    /// </summary>
    public static string For(string dataFolder, string? fallbackRoot = null)
    {
        var beside = Path.Combine(dataFolder, FolderName);
        if (CanWrite(beside)) return beside;
        var root = fallbackRoot ?? UserCacheRoot();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dataFolder))))[..16];
        var fallback = Path.Combine(root, hash);
        if (CanWrite(fallback)) return fallback;
        throw new IOException($"{dataFolder}: no writable folder for its image cache ({beside} and {fallback} both refuse writes)");
    }

    static string UserCacheRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "vqvae");
    }

    /// <summary>Creates the folder and a probe file in it; false when the file system says no.</summary>
    static bool CanWrite(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
