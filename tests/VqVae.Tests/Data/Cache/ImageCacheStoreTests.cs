using SkiaSharp;
using VqVae.Data;
using VqVae.Data.Cache;

namespace VqVae.Tests.Data.Cache;

/// <summary>The uint8 image cache: built once, reused without decoding, rebuilt when its source changes or the file is damaged.</summary>
public class ImageCacheStoreTests
{
    /// <summary>A folder of <paramref name="count"/> 10×12 PNGs in two subfolders, each a different colour pattern.</summary>
    static string MakeFolder(TempFolder temp, int count = 7)
    {
        var folder = Directory.CreateDirectory(temp.File("images")).FullName;
        for (int i = 0; i < count; i++)
        {
            var sub = Directory.CreateDirectory(Path.Combine(folder, i % 2 == 0 ? "a" : "b")).FullName;
            File.WriteAllBytes(Path.Combine(sub, $"img{i:D2}.png"), TestImages.Encode(10, 12,
                (x, y) => new SKColor((byte)(20 * i + 7 * x), (byte)(255 - 11 * y), (byte)(x * y + 3 * i))));
        }
        return folder;
    }

    static string CacheFolder(string folder) => Path.Combine(folder, CacheLocation.FolderName);

    [Fact]
    public void The_second_open_reuses_the_cache_without_decoding_and_leaves_the_file_alone()
    {
        using var temp = new TempFolder();
        var folder = MakeFolder(temp);
        var (first, built) = ImageCacheStore.OpenFolder(folder, 3, 8, 8, CacheLocation.For(folder));
        first.Dispose();
        Assert.True(built.Built);
        Assert.Equal(7, built.Decoded);
        Assert.StartsWith(CacheFolder(folder), built.Path);
        var written = File.GetLastWriteTimeUtc(built.Path);
        var inode = new FileInfo(built.Path).Length;

        var (second, reused) = ImageCacheStore.OpenFolder(folder, 3, 8, 8, CacheLocation.For(folder));
        using (second)
        {
            Assert.False(reused.Built);
            Assert.Equal(0, reused.Decoded);
            Assert.Equal(built.Path, reused.Path);
            Assert.Equal(written, File.GetLastWriteTimeUtc(reused.Path));
            Assert.Equal(7, second.Count);
        }
        // Only the cache and nothing else was written into the data folder.
        Assert.Equal([built.Path], Directory.GetFiles(CacheFolder(folder)));
        Assert.Equal(inode, new FileInfo(built.Path).Length);
    }

    [Fact]
    public void The_cache_holds_the_pixels_the_in_memory_reader_makes_for_the_same_images()
    {
        using var temp = new TempFolder();
        var folder = MakeFolder(temp);
        var expected = ImageFolderReader.Read(folder, 3, 8, 8);
        var (cache, _) = ImageCacheStore.OpenFolder(folder, 3, 8, 8, CacheLocation.For(folder));
        using (cache)
        {
            Assert.Equal(expected.Names, cache.Names);
            int[] indices = [6, 0, 3, 3, 1];
            var pixels = new float[indices.Length * cache.PixelsPerImage];
            cache.CopyImages(indices, pixels);
            Assert.Equal(expected.Slice(indices).Pixels, pixels);
        }
    }

    [Fact]
    public void Grayscale_caches_hold_the_luminance_to_the_nearest_level()
    {
        using var temp = new TempFolder();
        var folder = MakeFolder(temp, count: 3);
        var expected = ImageFolderReader.Read(folder, 1, 8, 8);
        var (cache, _) = ImageCacheStore.OpenFolder(folder, 1, 8, 8, CacheLocation.For(folder));
        using (cache)
        {
            var pixels = new float[3 * cache.PixelsPerImage];
            cache.CopyImages([0, 1, 2], pixels);
            for (int i = 0; i < pixels.Length; i++) Assert.InRange(pixels[i] - expected.Pixels[i], -0.5f / 255 - 1e-6f, 0.5f / 255 + 1e-6f);
        }
    }

    [Fact]
    public void A_changed_added_or_removed_file_or_another_size_rebuilds_the_cache()
    {
        using var temp = new TempFolder();
        var folder = MakeFolder(temp);
        var cacheFolder = CacheLocation.For(folder);
        ImageCacheStore.OpenFolder(folder, 3, 8, 8, cacheFolder).Cache.Dispose();

        // Rewritten with other pixels: the next open decodes again and serves the new pixels.
        var changed = Path.Combine(folder, "a", "img00.png");
        File.WriteAllBytes(changed, TestImages.Encode(10, 12, (_, _) => new SKColor(255, 0, 0)));
        File.SetLastWriteTimeUtc(changed, DateTime.UtcNow.AddMinutes(1));
        var (cache, outcome) = ImageCacheStore.OpenFolder(folder, 3, 8, 8, cacheFolder);
        using (cache)
        {
            Assert.True(outcome.Built);
            Assert.Equal(7, outcome.Decoded);
            Assert.Contains("source changed", outcome.Reason);
            Assert.Equal(255, cache.Image(0)[0]);   // red plane
            Assert.Equal(0, cache.Image(0)[64]);    // green plane
        }

        File.WriteAllBytes(Path.Combine(folder, "b", "new.png"), TestImages.Encode(4, 4, (_, _) => SKColors.Blue));
        var (added, afterAdd) = ImageCacheStore.OpenFolder(folder, 3, 8, 8, cacheFolder);
        added.Dispose();
        Assert.Equal(8, afterAdd.Decoded);

        File.Delete(Path.Combine(folder, "b", "img01.png"));
        var (removed, afterRemove) = ImageCacheStore.OpenFolder(folder, 3, 8, 8, cacheFolder);
        removed.Dispose();
        Assert.Equal(7, afterRemove.Decoded);

        var (other, otherSize) = ImageCacheStore.OpenFolder(folder, 1, 4, 4, cacheFolder);
        using (other)
        {
            Assert.True(otherSize.Built);
            Assert.Equal((1, 4, 4), (other.Channels, other.Height, other.Width));
        }
        Assert.False(ImageCacheStore.OpenFolder(folder, 3, 8, 8, cacheFolder).Outcome.Built);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("header")]
    [InlineData("names")]
    [InlineData("empty")]
    public void A_damaged_cache_file_is_detected_and_rebuilt(string damage)
    {
        using var temp = new TempFolder();
        var folder = MakeFolder(temp);
        var (cache, built) = ImageCacheStore.OpenFolder(folder, 3, 8, 8, CacheLocation.For(folder));
        var pixels = cache.Image(4).ToArray();
        cache.Dispose();
        var bytes = File.ReadAllBytes(built.Path);
        switch (damage)
        {
            case "truncated": bytes = bytes[..(bytes.Length - 100)]; break;
            case "header": bytes[13] ^= 0x40; break;                 // the channel count
            case "names": bytes[^2] ^= 0x01; break;                  // a letter of the last name
            case "empty": bytes = []; break;
        }
        File.WriteAllBytes(built.Path, bytes);
        Assert.Null(ImageCache.TryOpen(built.Path).Cache);

        var (rebuilt, outcome) = ImageCacheStore.OpenFolder(folder, 3, 8, 8, CacheLocation.For(folder));
        using (rebuilt)
        {
            Assert.True(outcome.Built);
            Assert.Equal(7, outcome.Decoded);
            Assert.Contains("damaged", outcome.Reason);
            Assert.Equal(pixels, rebuilt.Image(4).ToArray());
        }
    }

    [Fact]
    public void A_data_folder_that_refuses_the_cache_folder_sends_it_to_the_fallback()
    {
        using var temp = new TempFolder();
        var folder = MakeFolder(temp);
        // A file where the cache folder would go: creating the folder fails even for root.
        File.WriteAllText(CacheFolder(folder), "in the way");
        var fallbackRoot = temp.File("user-cache");
        var location = CacheLocation.For(folder, fallbackRoot);
        Assert.StartsWith(fallbackRoot, location);
        var (cache, outcome) = ImageCacheStore.OpenFolder(folder, 3, 8, 8, location);
        cache.Dispose();
        Assert.StartsWith(fallbackRoot, outcome.Path);
        Assert.Equal(location, CacheLocation.For(folder, fallbackRoot));   // the same folder next time
        Assert.Equal("in the way", File.ReadAllText(CacheFolder(folder)));
    }

    [Fact]
    public void Mnist_idx_files_are_cached_as_their_own_bytes()
    {
        using var temp = new TempFolder();
        foreach (var name in new[] { MnistDataset.TestImages, MnistDataset.TestLabels })
            File.Copy(Path.Combine(TestData.MnistDir, name), temp.File(name));
        var expected = IdxReader.ReadImages(temp.File(MnistDataset.TestImages));
        var (cache, built) = ImageCacheStore.OpenIdx(temp.File(MnistDataset.TestImages), CacheLocation.For(temp.Path));
        using (cache)
        {
            Assert.True(built.Built);
            Assert.DoesNotContain("idx3-ubyte", Path.GetFileName(built.Path));
            var all = Enumerable.Range(0, cache.Count).ToArray();
            var pixels = new float[all.Length * cache.PixelsPerImage];
            cache.CopyImages(all, pixels);
            Assert.Equal(expected.Pixels, pixels);
            Assert.Equal(expected.Names, cache.Names);
        }
        var (again, reused) = ImageCacheStore.OpenIdx(temp.File(MnistDataset.TestImages), CacheLocation.For(temp.Path));
        again.Dispose();
        Assert.False(reused.Built);
    }

    [Fact]
    public void A_broken_image_is_named_and_leaves_no_cache_behind()
    {
        using var temp = new TempFolder();
        var folder = MakeFolder(temp);
        File.WriteAllText(Path.Combine(folder, "a", "broken.png"), "not a png");
        var error = Assert.Throws<InvalidDataException>(() => ImageCacheStore.OpenFolder(folder, 3, 8, 8, CacheLocation.For(folder)));
        Assert.Contains("broken.png", error.Message);
        Assert.Empty(Directory.GetFiles(CacheFolder(folder)));
    }
}
