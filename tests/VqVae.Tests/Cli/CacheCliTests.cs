using VqVae.TestSupport;
using SkiaSharp;
using VqVae.Data.Cache;
using VqVae.Tests.Data;

namespace VqVae.Tests.Cli;

/// <summary>`train` and `patch-floor` share one image cache per data folder: the first run builds it, the next ones reuse it.</summary>
public class CacheCliTests
{
    [Fact]
    public void Train_builds_the_cache_and_a_second_train_and_patch_floor_reuse_it()
    {
        using var dir = new TempFolder();
        var images = Directory.CreateDirectory(dir.File("images")).FullName;
        for (int i = 0; i < 12; i++)
            File.WriteAllBytes(Path.Combine(images, $"{i:D2}.png"), TestImages.Encode(30, 30, (x, y) => new SKColor((byte)(x * 8), (byte)(y * 8), (byte)(i * 20))));
        string[] Train(string outDir) =>
        [
            "train", "--preset", "mnist", "--data", images, "--out", outDir, "--epochs", "1", "--max-steps-per-epoch", "1",
            "--hidden-size", "16", "--codebook-size", "8", "--device", "cpu",
        ];

        var first = ChildProcess.Run("vqvae-train.dll", Train(dir.File("a")));
        Assert.True(first.ExitCode == 0, first.Stderr + first.Stdout);
        Assert.Contains("built, 12 images (no cache yet)", first.Stdout);
        var cache = Path.Combine(images, CacheLocation.FolderName, "images-1x28x28.u8cache");
        Assert.True(File.Exists(cache));
        var written = File.GetLastWriteTimeUtc(cache);

        var second = ChildProcess.Run("vqvae-train.dll", Train(dir.File("b")));
        Assert.True(second.ExitCode == 0, second.Stderr + second.Stdout);
        Assert.Contains("reused (up to date)", second.Stdout);
        Assert.DoesNotContain("built", second.Stdout);

        var floor = ChildProcess.Run("vqvae-train.dll", "patch-floor", "--preset", "mnist", "--data", images, "--iterations", "2");
        Assert.True(floor.ExitCode == 0, floor.Stderr + floor.Stdout);
        Assert.Contains("reused (up to date)", floor.Stdout);
        Assert.Contains("k-means floor", floor.Stdout);
        Assert.Equal(written, File.GetLastWriteTimeUtc(cache));
    }
}
