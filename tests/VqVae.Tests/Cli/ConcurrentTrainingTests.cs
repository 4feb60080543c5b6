using SkiaSharp;
using VqVae.Data.Cache;
using VqVae.Tests.Data;
using VqVae.TestSupport;

namespace VqVae.Tests.Cli;

/// <summary>
/// What a cluster array or a user with two terminals does: several trainings start at the same moment on
/// one fresh data folder and one fresh cache root. Each builds the cache into a temporary of its own and
/// renames it into place, so none reads half a cache and none fails.
/// </summary>
public class ConcurrentTrainingTests
{
    [Fact]
    public async Task Four_trainings_at_once_on_a_fresh_folder_all_succeed_and_leave_one_valid_cache()
    {
        using var dir = new TempFolder();
        var images = Directory.CreateDirectory(dir.File("images")).FullName;
        for (int i = 0; i < 40; i++)
            File.WriteAllBytes(Path.Combine(images, $"{i:D2}.png"), TestImages.Encode(30, 30, (x, y) => new SKColor((byte)(x * 8 + i), (byte)(y * 8), (byte)(i * 6))));
        var before = FolderManifest.Of(images);
        var root = dir.File("cache");
        // A temporary of a build on another node of the cluster, sharing this cache root: its process may be
        // running, so no process here may delete it. One of this host's that is gone may be.
        var folder = CacheLocation.For(images, root).Path;
        var otherHost = Path.Combine(folder, $".images-1x28x28.u8cache.tmp-{ProcessTags.OtherHost()}");
        var deadHere = Path.Combine(folder, $".images-1x28x28.u8cache.tmp-{ProcessTags.DeadHere()}");
        File.WriteAllText(otherHost, "another node's build in progress");
        File.WriteAllText(deadHere, "a killed build");

        var runs = Enumerable.Range(0, 4).Select(k => ChildProcess.Start("vqvae-train.dll",
        [
            "train", "--preset", "mnist", "--data", images, "--out", dir.File($"run{k}"), "--epochs", "1", "--max-steps-per-epoch", "2",
            "--hidden-size", "16", "--codebook-size", "8", "--batch-size", "8", "--device", "cpu", "--threads", "1", "--cache-dir", root,
        ])).ToList();
        var results = runs.Select(p => (p, Out: p.StandardOutput.ReadToEndAsync(), Err: p.StandardError.ReadToEndAsync())).ToList();
        foreach (var (process, stdout, stderr) in results)
        {
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "a training did not finish");
            var (output, errors) = (await stdout, await stderr);
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {errors}{output}");
            Assert.Matches(@"images-1x28x28\.u8cache (built, 40 images \(no cache yet\)|reused \(up to date\))", output);
            process.Dispose();
        }

        var (cache, problem) = ImageCache.TryOpen(Path.Combine(folder, "images-1x28x28.u8cache"));
        Assert.True(cache is not null, problem);
        using (cache) Assert.Equal(40, cache.Count);
        Assert.True(File.Exists(otherHost));
        Assert.False(File.Exists(deadHere));
        // Nothing else: every build's own temporary was renamed into place or removed.
        Assert.Equal([Path.GetFileName(otherHost), "images-1x28x28.u8cache", CacheLocation.OriginFile],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(before, FolderManifest.Of(images));
    }
}
