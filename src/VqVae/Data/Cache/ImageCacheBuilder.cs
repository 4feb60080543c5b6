namespace VqVae.Data.Cache;

/// <summary>
/// Fills a cache file from its source: an image folder, decoded and resized on every core, one image
/// in memory per thread; or an IDX file, whose pixels are bytes already.
/// </summary>
public static class ImageCacheBuilder
{
    /// <summary>Decodes every listed file into <paramref name="path"/>; returns how many images were decoded.</summary>
    public static int BuildFromFolder(string path, string folder, IReadOnlyList<ImageFile> files, int channels, int height, int width, byte[] sourceHash)
    {
        using var writer = new ImageCacheWriter(path, channels, height, width, files.Select(f => f.RelativePath).ToArray(), sourceHash);
        int decoded = 0;
        try
        {
            Parallel.For(0, files.Count, () => new byte[writer.BytesPerImage], (i, _, pixels) =>
            {
                var file = Path.Combine(folder, files[i].RelativePath);
                using var bitmap = ImageDecoder.Decode(File.ReadAllBytes(file), file);
                using var image = ImageDecoder.RenderOnWhite(bitmap, width, height);
                ImageDecoder.CopyBytes(image, channels, pixels);
                writer.Write(i, pixels);
                Interlocked.Increment(ref decoded);
                return pixels;
            }, _ => { });
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault() is InvalidDataException or IOException)
        {
            // The first file that failed names the problem, as a sequential read would.
            throw e.InnerExceptions[0];
        }
        writer.Commit();
        return decoded;
    }

    /// <summary>Copies an IDX image file's pixels into <paramref name="path"/>; returns the image count.</summary>
    public static int BuildFromIdx(string path, string idxFile, byte[] sourceHash)
    {
        var (bytes, offset, count, rows, cols) = IdxReader.ReadImageBytes(idxFile);
        var names = Enumerable.Range(0, count).Select(i => $"idx:{i}").ToArray();
        using var writer = new ImageCacheWriter(path, 1, rows, cols, names, sourceHash);
        int size = rows * cols;
        for (int i = 0; i < count; i++) writer.Write(i, bytes.AsSpan(offset + i * size, size));
        writer.Commit();
        return count;
    }
}
