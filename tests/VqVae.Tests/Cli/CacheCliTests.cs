using SkiaSharp;
using VqVae.Data.Cache;
using VqVae.Tests.Data;
using VqVae.TestSupport;

namespace VqVae.Tests.Cli;

/// <summary>
/// `train` and `patch-floor` share one image cache per data folder, in the cache root (--cache-dir, else
/// VQVAE_CACHE_DIR, else the user's cache folder) and never in the data folder; `cache list` and
/// `cache clear` show and remove what the tool made there and nothing else.
/// </summary>
public class CacheCliTests
{
    const string Trainer = "vqvae-train.dll";

    static string Images(TempFolder dir, string name = "images", int count = 12)
    {
        var images = Directory.CreateDirectory(dir.File(name)).FullName;
        for (int i = 0; i < count; i++)
            File.WriteAllBytes(Path.Combine(images, $"{i:D2}.png"), TestImages.Encode(30, 30, (x, y) => new SKColor((byte)(x * 8), (byte)(y * 8), (byte)(i * 20))));
        return images;
    }

    static string[] Train(string images, string outDir, params string[] more) =>
    [
        "train", "--preset", "mnist", "--data", images, "--out", outDir, "--epochs", "1", "--max-steps-per-epoch", "2",
        "--hidden-size", "16", "--codebook-size", "8", "--device", "cpu", "--threads", "1", .. more,
    ];

    static void AssertOk(ChildProcess.Result run) => Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}{run.Stdout}");

    [Fact]
    public void Train_builds_the_cache_outside_the_data_folder_and_a_second_train_and_patch_floor_reuse_it()
    {
        using var dir = new TempFolder();
        var images = Images(dir);
        var before = FolderManifest.Of(images);
        var root = dir.File("cache");

        var first = ChildProcess.Run(Trainer, Train(images, dir.File("a"), "--cache-dir", root));
        AssertOk(first);
        var folder = CacheLocation.For(images, root).Path;
        var cache = Path.Combine(folder, "images-1x28x28.u8cache");
        var line = Assert.Single(first.Stdout.Split('\n'), l => l.StartsWith("image cache "));
        Assert.Matches(@"^image cache .+ \(\d+\.\d MB\): images-1x28x28\.u8cache built, 12 images \(no cache yet\)$", line.TrimEnd());
        Assert.Contains(folder, line);
        Assert.True(File.Exists(cache));
        var written = File.GetLastWriteTimeUtc(cache);

        var second = ChildProcess.Run(Trainer, Train(images, dir.File("b"), "--cache-dir", root));
        AssertOk(second);
        Assert.Contains("images-1x28x28.u8cache reused (up to date)", second.Stdout);
        Assert.DoesNotContain("built", second.Stdout);

        var floor = ChildProcess.Run(Trainer, "patch-floor", "--preset", "mnist", "--data", images, "--iterations", "2", "--cache-dir", root);
        AssertOk(floor);
        Assert.Contains("reused (up to date)", floor.Stdout);
        Assert.Contains("k-means floor", floor.Stdout);
        Assert.Equal(written, File.GetLastWriteTimeUtc(cache));
        Assert.Equal(before, FolderManifest.Of(images));
    }

    [Fact]
    public void Without_cache_dir_the_cache_goes_where_VQVAE_CACHE_DIR_says()
    {
        using var dir = new TempFolder();
        var images = Images(dir, count: 4);
        // The test process set VQVAE_CACHE_DIR to a temporary folder, and the trainer inherits it.
        AssertOk(ChildProcess.Run(Trainer, Train(images, dir.File("run"))));
        var entry = Assert.Single(CacheFolders.List(IsolatedCache.Root), e => e.DataFolder == images);
        Assert.True(File.Exists(Path.Combine(entry.Folder, "images-1x28x28.u8cache")));
    }

    [Fact]
    public void A_read_only_data_folder_trains_and_an_earlier_versions_cache_in_it_is_left_alone_and_named_once()
    {
        using var dir = new TempFolder();
        var images = Images(dir, count: 6);
        // What an earlier version left: its cache inside the data folder, here a file it could never read.
        var legacy = Directory.CreateDirectory(Path.Combine(images, CacheLocation.LegacyFolderName)).FullName;
        File.WriteAllText(Path.Combine(legacy, "images-1x28x28.u8cache"), "an earlier version's cache");
        var before = FolderManifest.Of(images);
        using var readOnly = new ReadOnlyMount(images);
        var root = dir.File("cache");

        var first = ChildProcess.Run(Trainer, Train(readOnly.Path, dir.File("a"), "--cache-dir", root));
        AssertOk(first);
        Assert.Contains("images-1x28x28.u8cache built, 6 images (no cache yet)", first.Stdout);
        var note = Assert.Single(first.Stdout.Split('\n'), l => l.StartsWith("note: "));
        Assert.Equal($"note: {Path.Combine(readOnly.Path, CacheLocation.LegacyFolderName)} is an earlier version's image cache, no longer read or written; it can be deleted", note.TrimEnd());

        var second = ChildProcess.Run(Trainer, Train(readOnly.Path, dir.File("b"), "--cache-dir", root));
        AssertOk(second);
        Assert.Contains("reused (up to date)", second.Stdout);
        Assert.DoesNotContain("note: ", second.Stdout);
        Assert.Equal(before, FolderManifest.Of(images));
    }

    [Fact]
    public void A_cache_dir_inside_the_data_folder_is_refused_in_one_line()
    {
        using var dir = new TempFolder();
        var images = Images(dir, count: 4);
        var before = FolderManifest.Of(images);
        var run = ChildProcess.Run(Trainer, Train(images, dir.File("run"), "--cache-dir", Path.Combine(images, "cache")));
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("lies inside the data folder", line);
        Assert.Equal(before, FolderManifest.Of(images));
    }

    [Fact]
    public void A_cache_root_that_cannot_be_written_is_one_line_naming_it()
    {
        using var dir = new TempFolder();
        var images = Images(dir, count: 4);
        // A file where the cache root would be: creating the folder fails, even for root.
        var blocked = dir.File("blocked");
        File.WriteAllText(blocked, "in the way");
        var run = ChildProcess.Run(Trainer, Train(images, dir.File("run"), "--cache-dir", blocked));
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {blocked}/images-", line);
        Assert.Contains("cannot write the image cache there", line);
        Assert.EndsWith("choose another place with --cache-dir or VQVAE_CACHE_DIR", line);
        Assert.False(Directory.Exists(dir.File("run")));
        // The claim on --out taken before the cache was opened went with the process.
        Assert.False(File.Exists(dir.File(".run.claim")));
    }

    [Fact]
    public void Cache_list_names_each_data_folder_and_clear_removes_only_what_the_tool_made()
    {
        using var dir = new TempFolder();
        var first = Images(dir, "first", count: 4);
        var second = Images(dir, "second", count: 5);
        var root = dir.File("cache");
        AssertOk(ChildProcess.Run(Trainer, Train(first, dir.File("a"), "--cache-dir", root)));
        AssertOk(ChildProcess.Run(Trainer, Train(second, dir.File("b"), "--cache-dir", root)));
        // Not the tool's: a folder without the origin file, and a cache folder someone put a file into.
        var foreign = Directory.CreateDirectory(Path.Combine(root, "someone-elses")).FullName;
        File.WriteAllText(Path.Combine(foreign, "keep.txt"), "mine");

        var list = ChildProcess.Run(Trainer, "cache", "list", "--cache-dir", root);
        AssertOk(list);
        var lines = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"cache root {root}: 2 image cache folder(s), ", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith(CacheLocation.For(first, root).Path + ": data folder " + first + ", ") && l.EndsWith("in 2 file(s)"));
        Assert.Contains(lines, l => l.Contains("data folder " + second + ", "));
        Assert.DoesNotContain("someone-elses", list.Stdout);

        var clearOne = ChildProcess.Run(Trainer, "cache", "clear", "--data", first, "--cache-dir", root);
        AssertOk(clearOne);
        var removed = Assert.Single(clearOne.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("removed " + Path.Combine(root, "first-"), removed);
        Assert.Single(CacheFolders.List(root), e => e.DataFolder == second);

        var secondsCache = CacheFolders.List(root).Single().Folder;
        File.WriteAllText(Path.Combine(secondsCache, "notes.txt"), "a file the tool did not write");
        var clearAll = ChildProcess.Run(Trainer, "cache", "clear", "--cache-dir", root);
        AssertOk(clearAll);
        Assert.Equal($"kept {secondsCache}: it holds files the tool did not write (notes.txt)", clearAll.Stdout.Trim());
        File.Delete(Path.Combine(secondsCache, "notes.txt"));
        AssertOk(ChildProcess.Run(Trainer, "cache", "clear", "--cache-dir", root));
        Assert.False(Directory.Exists(secondsCache));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(foreign, "keep.txt")));
        Assert.Equal($"cache root {root}: no image caches", ChildProcess.Run(Trainer, "cache", "list", "--cache-dir", root).Stdout.Trim());
    }
}
