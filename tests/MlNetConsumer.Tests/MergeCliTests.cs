using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using VqVae.TestSupport;
using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Tests;

/// <summary>
/// `vqvae-score merge` on real shards: a folder scored whole and in 3 shards (and the odd shard of
/// another model, another folder, another N), the shards merged and compared with the whole run.
/// </summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class MergeCliTests(TrainedModels models) : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("vqvae-mlnet-merge-").FullName;
    public void Dispose() => Directory.Delete(temp, recursive: true);

    /// <summary>What the tests merge, scored once for the whole class.</summary>
    sealed record Scored(string Images, string Single, string[] Shards, string OtherModel, string OtherFolder, string OtherCount);

    // Lazy: a failure is kept too, rather than retried over the half-written folder by every test.
    static readonly ConcurrentDictionary<string, Lazy<Scored>> cache = new();

    Scored Score() => cache.GetOrAdd(models.Root, root => new Lazy<Scored>(() => ScoreOnce(root))).Value;

    Scored ScoreOnce(string root)
    {
        var c = models.Gray;
        var folder = Path.Combine(root, "merge");
        // More images than the grid shows (50), so the grid is a real sample, plus two files that fail.
        var images = Path.Combine(folder, "images");
        ShapeImages.WriteFolder(images, 120, 28, rgb: false, seed: 11);
        TestImages.WriteCorruptPng(Path.Combine(images, "b", "corrupt.png"), 28, new Random(3));
        File.WriteAllBytes(Path.Combine(images, "empty.png"), []);

        string Run(string name, string model, string imagesFolder, string? shard)
        {
            var output = Path.Combine(folder, name);
            string[] args = ["score", "--model", model, "--images", imagesFolder, "--out", output, "--batch-size", "16"];
            var run = Cli.Run(shard is null ? args : [.. args, "--shard", shard]);
            // 1 when a bad file fell in this run's share (always for the whole folder), else 0.
            Assert.True(run.ExitCode == (shard is null ? 1 : run.ExitCode is 0 or 1 ? run.ExitCode : -1), run.Err);
            return output;
        }
        var otherImages = Path.Combine(folder, "images-copy");
        foreach (var file in Directory.GetFiles(images, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(otherImages, Path.GetRelativePath(images, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return new Scored(images,
            Run("single", c.OnnxDir, images, null),
            [.. Enumerable.Range(0, 3).Select(i => Run($"shard{i}", c.OnnxDir, images, $"{i}/3"))],
            Run("other-model", models.Rgb.OnnxDir, images, "1/3"),
            Run("other-folder", c.OnnxDir, otherImages, "1/3"),
            Run("other-count", c.OnnxDir, images, "1/2"));
    }

    [Fact]
    public void Merged_shards_are_what_the_single_run_wrote()
    {
        var s = Score();
        var merged = Path.Combine(temp, "merged");
        // Given out of order: the index in each summary.json decides.
        var run = Cli.Run(["merge", "--out", merged, s.Shards[2], s.Shards[0], s.Shards[1]]);
        Assert.True(run.ExitCode == 1, run.Err);   // 1, as score: two images failed
        Assert.Equal("", run.Err);
        Assert.Contains("merged 3 shards: scored 120 of 122 images (2 failed)", run.Out);

        foreach (var file in new[] { FolderScorer.CodesFile, FolderScorer.MetricsFile, FolderScorer.GridFile })
            Assert.True(File.ReadAllBytes(Path.Combine(s.Single, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(merged, file))), file);
        var expected = Files(Path.Combine(s.Single, FolderScorer.ReconstructionsFolder));
        Assert.Equal(120, expected.Count);
        Assert.Equal(expected, Files(Path.Combine(merged, FolderScorer.ReconstructionsFolder)));
        foreach (var file in expected)
            Assert.Equal(File.ReadAllBytes(Path.Combine(s.Single, FolderScorer.ReconstructionsFolder, file)),
                File.ReadAllBytes(Path.Combine(merged, FolderScorer.ReconstructionsFolder, file)));
        // Nothing else: no temporary folder beside it, nothing extra inside.
        Assert.Equal(["merged"], Directory.GetFileSystemEntries(temp).Select(Path.GetFileName));
        Assert.Equal(Entries(s.Single), Entries(merged));

        var single = Summary(s.Single);
        var summary = Summary(merged);
        var shards = s.Shards.Select(Summary).ToList();
        Assert.Equal((single.Command, single.Model, single.Input, single.Shard), (summary.Command, summary.Model, summary.Input, summary.Shard));
        Assert.Equal((single.Found, single.Scored), (summary.Found, summary.Scored));
        Assert.Equal(["b/corrupt.png", "empty.png"], summary.Failures.Select(f => f.Path));
        Assert.Equal(single.Failures, summary.Failures);
        // Summed in path order from the round-trippable metrics: the same doubles, not just close.
        Assert.Equal(single.MeanMse, summary.MeanMse);
        Assert.Equal(single.MeanPsnr, summary.MeanPsnr);
        Assert.Equal((single.ModelSha256, true), (summary.ModelSha256, summary.Finished));
        Assert.Equal(shards.Max(x => x.Seconds), summary.Seconds);
        Assert.Equal(shards.MaxBy(x => x.Seconds)!.ImagesPerSecond, summary.ImagesPerSecond);
        Assert.Equal(["0/3", "1/3", "2/3"], summary.ShardRuns!.Select(r => r.Shard));
        Assert.Equal(shards.Select(x => x.Scored), summary.ShardRuns!.Select(r => r.Scored));
        Assert.All(shards, x => Assert.InRange(x.Scored, 20, 60));   // each shard had a real share
        Assert.Null(single.ShardRuns);

        // An existing output is kept without --force and replaced with it, as score does.
        var again = Cli.Run(["merge", "--out", merged, .. s.Shards]);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already exists; pass --force", again.Err);
        File.WriteAllText(Path.Combine(merged, "stale.txt"), "from before");
        Assert.Equal(1, Cli.Run(["merge", "--out", merged, "--force", .. s.Shards]).ExitCode);
        Assert.False(File.Exists(Path.Combine(merged, "stale.txt")));
    }

    public static TheoryData<string> Refusals => ["model", "folder", "count", "missing", "repeated", "unfinished", "killed", "no summary", "foreign row", "overlap"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Shards_that_are_not_one_whole_run_are_refused_with_nothing_written(string refusal)
    {
        var s = Score();
        var (shard0, shard1, shard2) = (s.Shards[0], s.Shards[1], s.Shards[2]);
        string Copy(string source, string name)
        {
            var target = Path.Combine(temp, name);
            foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
            {
                var to = Path.Combine(target, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(file, to);
            }
            return target;
        }
        var output = Path.Combine(temp, "merged");
        string[] shards;
        string message;
        switch (refusal)
        {
            case "model":
                shards = [shard0, s.OtherModel, shard2];
                message = $"error: {s.OtherModel}: shard 1/3 was scored with another model ({models.Rgb.OnnxDir}, sha256 ";
                break;
            case "folder":
                shards = [shard0, s.OtherFolder, shard2];
                message = $"error: {s.OtherFolder}: shard 1/3 scored the images folder {Path.GetDirectoryName(s.Images)}{Path.DirectorySeparatorChar}images-copy, but {shard0} scored {s.Images}";
                break;
            case "count":
                shards = [shard0, s.OtherCount, shard2];
                message = $"error: {s.OtherCount}: shard 1/2 is one of 2 shards, but {shard0} (shard 0/3) is one of 3";
                break;
            case "missing":
                shards = [shard0, shard2];
                message = "error: shard 1/3 missing: 2 of 3 shards given (0/3, 2/3)";
                break;
            case "repeated":
                var twin = Copy(shard0, "shard0-again");
                shards = [shard0, shard1, twin, shard2];
                message = $"error: shard 0/3 given more than once: {shard0} and {twin}";
                break;
            case "unfinished":
                var unfinished = Copy(shard1, "shard1-unfinished");
                var json = JsonNode.Parse(File.ReadAllText(Path.Combine(unfinished, "summary.json")))!;
                json["finished"] = false;
                File.WriteAllText(Path.Combine(unfinished, "summary.json"), json.ToJsonString());
                shards = [shard0, unfinished, shard2];
                message = $"error: {unfinished}: shard 1/3 did not finish (summary.json says finished: false)";
                break;
            case "killed":
                // What a score killed mid-run leaves: its temporary folder, and no output folder.
                var gone = Path.Combine(temp, "shard1");
                Directory.CreateDirectory(Path.Combine(temp, ".shard1.tmp-4242", "reconstructions"));
                shards = [shard0, gone, shard2];
                message = $"error: {gone}: shard folder not found, but {Path.Combine(temp, ".shard1.tmp-4242")} is: that shard did not finish";
                break;
            case "no summary":
                var bare = Copy(shard1, "shard1-bare");
                File.Delete(Path.Combine(bare, "summary.json"));
                shards = [shard0, bare, shard2];
                message = $"error: {bare}: no summary.json: not the output of a finished score run";
                break;
            case "foreign row":
                // Found only while merging, after the output folder was begun: it is removed again.
                var tampered = Copy(shard1, "shard1-tampered");
                var foreign = File.ReadLines(Path.Combine(shard0, "codes.csv")).ElementAt(1);
                File.AppendAllText(Path.Combine(tampered, "codes.csv"), foreign + "\n");
                File.AppendAllText(Path.Combine(tampered, "metrics.csv"), File.ReadLines(Path.Combine(shard0, "metrics.csv")).ElementAt(1) + "\n");
                shards = [shard0, tampered, shard2];
                message = $"error: {Path.Combine(tampered, "codes.csv")}: {foreign.Split(',')[0]} does not belong to shard 1/3";
                break;
            case "overlap":
                output = Path.GetDirectoryName(shard1)!;
                shards = [shard0, shard1, shard2];
                message = $"error: --out {output} and the shard folder {shard0} overlap";
                break;
            default: throw new ArgumentException(refusal);
        }
        var before = Entries(temp);
        var run = Cli.Run(["merge", "--out", output, "--force", .. shards]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.StartsWith(message, run.Err);
        Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(before, Entries(temp));                 // nothing written, nothing left behind
        Assert.True(File.Exists(Path.Combine(shard1, "summary.json")));
    }

    static RunSummary Summary(string folder) => RunSummary.FromJson(File.ReadAllText(Path.Combine(folder, FolderScorer.SummaryFile)));

    static List<string> Files(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();

    static List<string> Entries(string folder) =>
        Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal).ToList();
}
