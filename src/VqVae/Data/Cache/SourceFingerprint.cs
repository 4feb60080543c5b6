using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VqVae.Data.Cache;

/// <summary>
/// What a cache was built from, as one SHA-256: the files (relative path, size, modification time)
/// and the shape they were turned into. A cache whose fingerprint differs from the source's today is
/// stale: a file was added, removed, replaced or touched, or a different size or channel count is asked for.
/// </summary>
public static class SourceFingerprint
{
    /// <summary>Changes when the way images are turned into pixels changes, so old caches are rebuilt.</summary>
    const string PixelRecipe = "skia-high-quality-on-white/v1";

    public static byte[] OfFolder(IReadOnlyList<ImageFile> files, int channels, int height, int width)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"folder {PixelRecipe} {channels}x{height}x{width}\n");
        foreach (var f in files)
            text.Append(CultureInfo.InvariantCulture, $"{f.RelativePath}\t{f.Length}\t{f.LastWriteUtc.Ticks}\n");
        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>Of the file's real path (symbolic links resolved), so every link to one file shares its cache.</summary>
    public static byte[] OfIdxFile(string path)
    {
        var info = new FileInfo(path);
        return SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"idx {RealPath.Of(path)}\t{info.Length}\t{info.LastWriteTimeUtc.Ticks}\n")));
    }
}
