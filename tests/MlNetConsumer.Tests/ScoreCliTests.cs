using System.Globalization;
using Microsoft.ML;
using SkiaSharp;
using VqVae.TestSupport;
using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Tests;

/// <summary>`vqvae-score score` and `decode` end to end on folders of files.</summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class ScoreCliTests(TrainedModels models) : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("vqvae-mlnet-cli-").FullName;
    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void Score_writes_the_torch_codes_reconstructions_and_metrics_of_every_image()
    {
        var c = models.Gray;
        var output = Path.Combine(temp, "scored");
        var run = Cli.Run("score", "--model", c.TrainingDir, "--images", c.ImagesFolder, "--out", output);
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Equal("", run.Err);

        var engine = VqVaeScoringModel.ForImages(new MLContext(seed: 0), VqVaeModelFolder.Open(c.OnnxDir)).CreateImageEngine<VqVaePrediction>();
        var rows = ReadCodes(Path.Combine(output, "codes.csv"));
        var metrics = File.ReadAllLines(Path.Combine(output, "metrics.csv")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => f[0], f => double.Parse(f[1], CultureInfo.InvariantCulture));
        Assert.Equal(c.Images.OrderBy(p => p, StringComparer.Ordinal), rows.Select(r => r.Path));
        foreach (var row in rows)
        {
            var p = engine.Predict(new VqVaeImageInput { ImagePath = Path.Combine(c.ImagesFolder, row.Path) });
            var torch = TorchReference.Run(c.Model, p.Pixels);
            Assert.Equal((c.Config.LatentHeight, c.Config.LatentWidth), (row.Height, row.Width));
            Assert.Equal(torch.Codes, row.Codes);
            Assert.Equal(ImageMetrics.Mse(p.Pixels, p.Reconstruction), metrics[row.Path], 12);

            // The PNG holds the torch reconstruction, rounded to bytes (±1 where 1e-4 crosses a rounding edge).
            var png = ShapeImages.ReadPlanar(Path.Combine(output, "reconstructions", ReconstructionPng.RelativePathFor(row.Path)), 1);
            for (int i = 0; i < png.Length; i++)
                Assert.InRange(Math.Abs(png[i] * 255 - ReconstructionPng.ToByte(torch.Reconstruction[i])), 0, 1.001);
        }

        var summary = RunSummary.FromJson(File.ReadAllText(Path.Combine(output, "summary.json")));
        Assert.Equal((c.Images.Count, c.Images.Count, 0), (summary.Found, summary.Scored, summary.Failed));
        Assert.Equal(ExecutionProviderProbe.Cpu, summary.ExecutionProvider);
        Assert.Equal(metrics.Values.Average(), summary.MeanMse!.Value, 12);
        Assert.True(summary.ImagesPerSecond > 0);
        Assert.Contains($"scored {c.Images.Count} of {c.Images.Count} images (0 failed)", run.Out);

        // The grid: first scored images, inputs and reconstructions in alternate rows of 10 (scaled ×2, 2-pixel padding).
        using var grid = SkiaSharp.SKBitmap.Decode(Path.Combine(output, FolderScorer.GridFile));
        int shown = Math.Min(c.Images.Count, FolderScorer.GridImages), rowsOfPairs = (shown + 9) / 10;
        int scale = Math.Max(1, 64 / c.Config.Height);
        Assert.Equal(2 + 2 * rowsOfPairs * (c.Config.Height * scale + 2), grid.Height);
        Assert.Equal(2 + 10 * (c.Config.Width * scale + 2), grid.Width);
    }

    [Fact]
    public void Decode_of_the_codes_csv_that_score_wrote_reproduces_the_reconstructions()
    {
        var c = models.Rgb;
        var scored = Path.Combine(temp, "scored-rgb");
        Assert.Equal(0, Cli.Run("score", "--model", c.OnnxDir, "--images", c.ImagesFolder, "--out", scored).ExitCode);
        var decoded = Path.Combine(temp, "decoded-rgb");
        var run = Cli.Run("decode", "--model", c.OnnxDir, "--codes", Path.Combine(scored, "codes.csv"), "--out", decoded);
        Assert.True(run.ExitCode == 0, run.Err);

        var expected = Files(Path.Combine(scored, "reconstructions"));
        Assert.Equal(c.Images.Count, expected.Count);
        Assert.Equal(expected, Files(Path.Combine(decoded, "reconstructions")));
        foreach (var file in expected)
            Assert.Equal(File.ReadAllBytes(Path.Combine(scored, "reconstructions", file)), File.ReadAllBytes(Path.Combine(decoded, "reconstructions", file)));
        var summary = RunSummary.FromJson(File.ReadAllText(Path.Combine(decoded, "summary.json")));
        Assert.Equal((c.Images.Count, c.Images.Count, 0), (summary.Found, summary.Scored, summary.Failed));
    }

    [Fact]
    public void A_folder_with_bad_files_is_scored_with_exactly_the_bad_files_reported()
    {
        var c = models.Gray;
        var images = Path.Combine(temp, "mixed");
        var good = c.Images.Take(5).ToList();
        foreach (var relative in good)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(images, relative))!);
            File.Copy(Path.Combine(c.ImagesFolder, relative), Path.Combine(images, relative));
        }
        var rng = new Random(5);
        TestImages.WriteCorruptPng(Path.Combine(images, "corrupt.png"), 28, rng);
        TestImages.WriteTruncatedPng(Path.Combine(images, "sub", "truncated.png"), 28, rng);
        File.WriteAllBytes(Path.Combine(images, "empty.png"), []);
        File.WriteAllText(Path.Combine(images, "notes.png"), "this is a text file, not a picture\n");
        File.WriteAllText(Path.Combine(images, "readme.txt"), "not an image name: not listed at all\n");
        using (var shape = ShapeImages.Shapes(28, rgb: false, rng))
        {
            ShapeImages.Write(Path.Combine(images, "eight-bit.png"), shape);
            TestImages.WritePng16(Path.Combine(images, "sixteen-bit.png"), shape);
        }
        using (var large = ShapeImages.Shapes(40, rgb: false, rng)) ShapeImages.Write(Path.Combine(images, "wrong-size.png"), large);

        var output = Path.Combine(temp, "mixed-out");
        var run = Cli.Run("score", "--model", c.OnnxDir, "--images", images, "--out", output);

        string[] bad = ["corrupt.png", "empty.png", "notes.png", "sub/truncated.png"];
        Assert.Equal(1, run.ExitCode);
        var summary = RunSummary.FromJson(File.ReadAllText(Path.Combine(output, "summary.json")));
        Assert.Equal(bad, summary.Failures.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.All(summary.Failures, f => Assert.False(string.IsNullOrWhiteSpace(f.Reason)));
        string Reason(string path) => summary.Failures.Single(f => f.Path == path).Reason;
        Assert.Equal("empty file (0 bytes)", Reason("empty.png"));
        Assert.StartsWith("not a readable image", Reason("notes.png"));
        Assert.StartsWith("corrupt image data", Reason("corrupt.png"));
        Assert.Equal("corrupt image data (the file ends before the image does)", Reason("sub/truncated.png"));
        var errLines = run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(bad, errLines.Select(l => l.Split(": ")[1]).Order(StringComparer.Ordinal));

        // Everything else is scored: the 16-bit file as its 8-bit twin, the 40×40 one resized to 28×28.
        string[] scored = [.. good, "eight-bit.png", "sixteen-bit.png", "wrong-size.png"];
        var rows = ReadCodes(Path.Combine(output, "codes.csv"));
        Assert.Equal(scored.Order(StringComparer.Ordinal), rows.Select(r => r.Path));
        Assert.Equal(rows.Single(r => r.Path == "eight-bit.png").Codes, rows.Single(r => r.Path == "sixteen-bit.png").Codes);
        Assert.Equal((scored.Length + bad.Length, scored.Length), (summary.Found, summary.Scored));
        Assert.True(File.Exists(Path.Combine(output, "reconstructions", "wrong-size.png")));
        using var reconstruction = SKBitmap.Decode(Path.Combine(output, "reconstructions", "wrong-size.png"));
        Assert.Equal((28, 28), (reconstruction.Width, reconstruction.Height));
    }

    [Fact]
    public void Shards_together_give_exactly_the_single_runs_rows()
    {
        var c = models.Gray;
        var single = Path.Combine(temp, "single");
        Assert.Equal(0, Cli.Run("score", "--model", c.OnnxDir, "--images", c.ImagesFolder, "--out", single).ExitCode);
        var whole = File.ReadAllLines(Path.Combine(single, "codes.csv"));

        var shardRows = new List<string>();
        var shardMetrics = new List<string>();
        var shardPngs = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            var output = Path.Combine(temp, $"shard{i}");
            var run = Cli.Run("score", "--model", c.OnnxDir, "--images", c.ImagesFolder, "--out", output, "--shard", $"{i}/3");
            Assert.Equal(0, run.ExitCode);
            var lines = File.ReadAllLines(Path.Combine(output, "codes.csv"));
            Assert.Equal(whole[0], lines[0]);
            shardRows.AddRange(lines.Skip(1));
            shardMetrics.AddRange(File.ReadAllLines(Path.Combine(output, "metrics.csv")).Skip(1));
            shardPngs.AddRange(Files(Path.Combine(output, "reconstructions")));
            Assert.Equal($"{i}/3", RunSummary.FromJson(File.ReadAllText(Path.Combine(output, "summary.json"))).Shard);
        }
        Assert.Equal(whole.Skip(1), shardRows.Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllLines(Path.Combine(single, "metrics.csv")).Skip(1), shardMetrics.Order(StringComparer.Ordinal));
        Assert.Equal(Files(Path.Combine(single, "reconstructions")), shardPngs.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_existing_output_folder_is_kept_unless_force_is_given()
    {
        var c = models.Rgb;
        var output = Path.Combine(temp, "existing");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "keep.txt"), "earlier work");

        var refused = Cli.Run("score", "--model", c.OnnxDir, "--images", c.ImagesFolder, "--out", output);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("already exists; pass --force", refused.Err);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(output).Select(Path.GetFileName));

        // --force replaces only what vqvae-score wrote: a user's folder is refused with it too.
        var notOurs = Cli.Run("score", "--model", c.OnnxDir, "--images", c.ImagesFolder, "--out", output, "--force");
        Assert.Equal(2, notOurs.ExitCode);
        Assert.Contains("not written by vqvae-score", notOurs.Err);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(output).Select(Path.GetFileName));

        File.Delete(Path.Combine(output, "keep.txt"));
        Assert.Equal(0, Cli.Run("score", "--model", c.OnnxDir, "--images", c.ImagesFolder, "--out", output).ExitCode);
        File.WriteAllText(Path.Combine(output, "codes.csv"), "stale");
        var forced = Cli.Run("score", "--model", c.OnnxDir, "--images", c.ImagesFolder, "--out", output, "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.NotEqual("stale", File.ReadAllText(Path.Combine(output, "codes.csv")));
        Assert.True(File.Exists(Path.Combine(output, "codes.csv")));
        // Nothing temporary is left beside it.
        Assert.Equal(["existing"], Directory.GetFileSystemEntries(temp).Select(Path.GetFileName).Where(n => n!.Contains("existing")));
    }

    [Fact]
    public void Bad_arguments_are_refused_before_any_work()
    {
        var c = models.Rgb;
        var inside = Cli.Run("score", "--model", c.OnnxDir, "--images", c.ImagesFolder, "--out", Path.Combine(c.ImagesFolder, "out"));
        Assert.Equal(2, inside.ExitCode);
        Assert.Contains("is inside --images", inside.Err);
        Assert.False(Directory.Exists(Path.Combine(c.ImagesFolder, "out")));

        var shard = Cli.Run("score", "--model", c.OnnxDir, "--images", c.ImagesFolder, "--out", Path.Combine(temp, "s"), "--shard", "3/3");
        Assert.Equal(2, shard.ExitCode);
        Assert.Contains("--shard '3/3'", shard.Err);

        var noImages = Cli.Run("score", "--model", c.OnnxDir, "--images", Path.Combine(temp, "nowhere"), "--out", Path.Combine(temp, "n"));
        Assert.Equal(2, noImages.ExitCode);
        Assert.Contains("images folder not found", noImages.Err);
        Assert.Empty(Directory.GetFileSystemEntries(temp));
    }

    [Fact]
    public void Decode_reports_rows_that_do_not_fit_the_model_and_decodes_the_rest()
    {
        var c = models.Rgb;
        int n = c.Config.LatentHeight * c.Config.LatentWidth;
        var csv = Path.Combine(temp, "codes.csv");
        var ok = string.Join(",", Enumerable.Range(0, n).Select(i => i % c.Config.CodebookSize));
        var tooBig = string.Join(",", Enumerable.Range(0, n).Select(i => i == 3 ? c.Config.CodebookSize : 0));
        File.WriteAllText(csv, string.Join("\n",
            "path,h,w," + string.Join(",", Enumerable.Range(0, n).Select(i => $"c{i}")),
            $"\"with, comma.png\",{c.Config.LatentHeight},{c.Config.LatentWidth},{ok}",
            $"past-codebook.png,{c.Config.LatentHeight},{c.Config.LatentWidth},{tooBig}",
            $"wrong-grid.png,2,2,0,0,0,0",
            $"../escape.png,{c.Config.LatentHeight},{c.Config.LatentWidth},{ok}",
            $"short.png,{c.Config.LatentHeight},{c.Config.LatentWidth},1,2") + "\n");
        var output = Path.Combine(temp, "decoded");
        var run = Cli.Run("decode", "--model", c.OnnxDir, "--codes", csv, "--out", output);
        Assert.Equal(1, run.ExitCode);
        var summary = RunSummary.FromJson(File.ReadAllText(Path.Combine(output, "summary.json")));
        Assert.Equal((5, 1), (summary.Found, summary.Scored));
        Assert.Equal(["past-codebook.png", "wrong-grid.png", "../escape.png", "short.png"], summary.Failures.Select(f => f.Path));
        Assert.Contains($"code 3 is {c.Config.CodebookSize}, past the codebook's {c.Config.CodebookSize} entries", summary.Failures[0].Reason);
        Assert.Contains("2×2 code grid", summary.Failures[1].Reason);
        Assert.Contains("line 6", summary.Failures[3].Reason);
        Assert.Equal(["with, comma.png"], Files(Path.Combine(output, "reconstructions")));
    }

    static List<CodesRow> ReadCodes(string path)
    {
        using var reader = new StreamReader(path);
        return CodesCsv.Read(reader, path).Select(r => r.Row ?? throw new Xunit.Sdk.XunitException(r.Error!.Reason)).ToList();
    }

    static List<string> Files(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
}
