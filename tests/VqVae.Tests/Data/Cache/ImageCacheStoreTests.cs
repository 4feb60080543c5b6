using SkiaSharp;
using VqVae.Data;
using VqVae.Data.Cache;
using VqVae.TestSupport;

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

    /// <summary>The folder's cache folder under a cache root of the test's own.</summary>
    static string CacheFolder(TempFolder temp, string folder) => CacheLocation.For(folder, temp.File("cache")).Path;

    [Fact]
    public void The_second_open_reuses_the_cache_without_decoding_and_leaves_the_file_alone()
    {
        using var temp = new TempFolder();
        var folder = MakeFolder(temp);
        var before = FolderManifest.Of(folder);
        var (first, built) = ImageCacheStore.OpenFolder(folder, 3, 8, 8, CacheFolder(temp, folder));
        first.Dispose();
        Assert.True(built.Built);
        Assert.Equal(7, built.Decoded);
        Assert.StartsWith(temp.File("cache"), built.Path);
        var written = File.GetLastWriteTimeUtc(built.Path);
        var inode = new FileInfo(built.Path).Length;

        var (second, reused) = ImageCacheStore.OpenFolder(folder, 3, 8, 8, CacheFolder(temp, folder));
        using (second)
        {
            Assert.False(reused.Built);
            Assert.Equal(0, reused.Decoded);
            Assert.Equal(built.Path, reused.Path);
            Assert.Equal(written, File.GetLastWriteTimeUtc(reused.Path));
            Assert.Equal(7, second.Count);
        }
        // The cache and its origin file in the cache folder, and nothing written into the data folder.
        Assert.Equal([Path.GetFileName(built.Path), CacheLocation.OriginFile], Directory.GetFiles(Path.GetDirectoryName(built.Path)!).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(before, FolderManifest.Of(folder));
        Assert.Equal(inode, new FileInfo(built.Path).Length);
    }

    [Fact]
    public void The_cache_holds_the_pixels_the_in_memory_reader_makes_for_the_same_images()
    {
        using var temp = new TempFolder();
        var folder = MakeFolder(temp);
        var expected = ImageFolderReader.Read(folder, 3, 8, 8);
        var (cache, _) = ImageCacheStore.OpenFolder(folder, 3, 8, 8, CacheFolder(temp, folder));
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
        var (cache, _) = ImageCacheStore.OpenFolder(folder, 1, 8, 8, CacheFolder(temp, folder));
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
        var cacheFolder = CacheFolder(temp, folder);
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
        var (cache, built) = ImageCacheStore.OpenFolder(folder, 3, 8, 8, CacheFolder(temp, folder));
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

        var (rebuilt, outcome) = ImageCacheStore.OpenFolder(folder, 3, 8, 8, CacheFolder(temp, folder));
        using (rebuilt)
        {
            Assert.True(outcome.Built);
            Assert.Equal(7, outcome.Decoded);
            Assert.Contains("damaged", outcome.Reason);
            Assert.Equal(pixels, rebuilt.Image(4).ToArray());
        }
    }

    [Fact]
    public void The_cache_folder_is_keyed_on_the_data_folders_real_path_so_a_link_to_it_shares_the_cache()
    {
        using var temp = new TempFolder();
        var folder = MakeFolder(temp);
        var link = temp.File("link-to-images");
        Directory.CreateSymbolicLink(link, folder);
        var root = temp.File("cache");
        var direct = CacheLocation.For(folder, root);
        var viaLink = CacheLocation.For(link, root);
        Assert.True(direct.Created);
        Assert.False(viaLink.Created);
        Assert.Equal(direct.Path, viaLink.Path);
        Assert.Equal(folder, viaLink.DataFolder);
        Assert.Equal(folder, CacheLocation.DataFolderOf(direct.Path));
        Assert.StartsWith(Path.Combine(root, "images-"), direct.Path);
        // Another folder of the same name elsewhere gets a cache of its own.
        var twin = Directory.CreateDirectory(temp.File("elsewhere/images")).FullName;
        Assert.NotEqual(direct.Path, CacheLocation.For(twin, root).Path);
    }

    [Fact]
    public void A_cache_root_inside_the_data_folder_is_refused_and_nothing_is_written_there()
    {
        using var temp = new TempFolder();
        var folder = MakeFolder(temp);
        var before = FolderManifest.Of(folder);
        var e = Assert.Throws<IOException>(() => CacheLocation.For(folder, Path.Combine(folder, "cache")));
        Assert.Contains("lies inside the data folder", e.Message);
        Assert.Throws<IOException>(() => CacheLocation.For(folder, folder));
        Assert.Equal(before, FolderManifest.Of(folder));
    }

    [Theory]
    [InlineData(null, null, null, "/home/u/.cache/vqvae")]
    [InlineData(null, null, "/xdg", "/xdg/vqvae")]
    [InlineData(null, null, "relative/xdg", "/home/u/.cache/vqvae")]   // the XDG specification ignores a relative path
    [InlineData(null, "/shared/cache", "/xdg", "/shared/cache")]
    [InlineData("/opt/cache", "/shared/cache", "/xdg", "/opt/cache")]
    public void The_cache_root_is_the_option_else_VQVAE_CACHE_DIR_else_the_users_cache_folder(string? option, string? variable, string? xdg, string expected)
    {
        var environment = new Dictionary<string, string?> { ["VQVAE_CACHE_DIR"] = variable, ["XDG_CACHE_HOME"] = xdg, ["HOME"] = "/home/u" };
        Assert.Equal(expected, CacheLocation.Root(option, name => environment.GetValueOrDefault(name)));
    }

    [Fact]
    public void Mnist_idx_files_are_cached_as_their_own_bytes()
    {
        using var temp = new TempFolder();
        var mnist = Directory.CreateDirectory(temp.File("mnist")).FullName;
        foreach (var name in new[] { MnistDataset.TestImages, MnistDataset.TestLabels })
            File.Copy(Path.Combine(TestData.MnistDir, name), Path.Combine(mnist, name));
        var expected = IdxReader.ReadImages(Path.Combine(mnist, MnistDataset.TestImages));
        var (cache, built) = ImageCacheStore.OpenIdx(Path.Combine(mnist, MnistDataset.TestImages), CacheFolder(temp, mnist));
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
        var (again, reused) = ImageCacheStore.OpenIdx(Path.Combine(mnist, MnistDataset.TestImages), CacheFolder(temp, mnist));
        again.Dispose();
        Assert.False(reused.Built);
    }

    [Fact]
    public void A_broken_image_is_named_and_leaves_no_cache_behind()
    {
        using var temp = new TempFolder();
        var folder = MakeFolder(temp);
        File.WriteAllText(Path.Combine(folder, "a", "broken.png"), "not a png");
        var error = Assert.Throws<InvalidDataException>(() => ImageCacheStore.OpenFolder(folder, 3, 8, 8, CacheFolder(temp, folder)));
        Assert.Contains("broken.png", error.Message);
        Assert.Equal([CacheLocation.OriginFile], Directory.GetFiles(CacheFolder(temp, folder)).Select(Path.GetFileName));
    }
}
