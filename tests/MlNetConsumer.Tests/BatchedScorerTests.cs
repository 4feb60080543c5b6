using System.Globalization;
using Microsoft.ML;
using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Tests;

/// <summary>
/// The batched path (ML.NET's image steps, then one ONNX Runtime call per graph and batch) against ML.NET's
/// own PredictionEngine path, on folders with a bad file and a last batch that is not full.
/// </summary>
[Collection(TrainedCollection.Name)]
public sealed class BatchedScorerTests(TrainedModels models) : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("vqvae-mlnet-batched-").FullName;
    public void Dispose() => Directory.Delete(temp, recursive: true);

    public static TheoryData<string, BatchedGraphs> Cases => new()
    {
        { "gray", BatchedGraphs.Sessions }, { "rgb", BatchedGraphs.Sessions },
        { "gray", BatchedGraphs.Transformer }, { "rgb", BatchedGraphs.Transformer },
    };
    TrainedCase Case(string name) => name == "gray" ? models.Gray : models.Rgb;

    /// <summary>The case's images with a corrupt PNG among them: its files in folder order, and the bad one's relative path.</summary>
    (List<ImageFile> Files, string Bad) FolderWithABadFile(TrainedCase c)
    {
        var images = Path.Combine(temp, c.Name);
        foreach (var relative in c.Images)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(images, relative))!);
            File.Copy(Path.Combine(c.ImagesFolder, relative), Path.Combine(images, relative));
        }
        const string bad = "a/shape004x.png";  // sorts among the good files, inside a batch
        TestImages.WriteCorruptPng(Path.Combine(images, bad), c.Config.Height, new Random(3));
        return (ImageFolder.Enumerate(images, Shard.All).ToList(), bad);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Batches_give_the_prediction_engines_pixels_codes_and_reconstructions(string name, BatchedGraphs graphs)
    {
        var c = Case(name);
        var model = VqVaeModelFolder.Open(c.OnnxFolder);
        var (files, bad) = FolderWithABadFile(c);
        const int batchSize = 7;
        Assert.NotEqual(0, files.Count % batchSize);  // the last batch is a partial one

        using var rows = new RowImageScorer(VqVaeScoringModel.ForImages(new MLContext(seed: 0), model), model);
        using var batched = ImageScorers.Create(new MLContext(seed: 0), model, VqVaePipelineOptions.Default, batchSize, graphs);
        Assert.IsType(graphs == BatchedGraphs.Transformer ? typeof(TransformerBatchScorer) : typeof(BatchedImageScorer), batched);
        Assert.Equal(ExecutionProviderProbe.Cpu, batched.ExecutionProvider);
        int compared = 0;
        double maxDiff = 0;
        foreach (var chunk in files.Chunk(batchSize))
        {
            var batch = batched.Score(chunk.Select(f => f.FullPath).ToList());
            Assert.Equal(chunk.Length, batch.Count);
            Assert.Equal(chunk.Count(f => f.RelativePath != bad), batch.Scored);  // the bad file sinks nothing else
            for (int i = 0; i < chunk.Length; i++)
            {
                var one = rows.Score([chunk[i].FullPath]);
                if (chunk[i].RelativePath == bad)
                {
                    Assert.StartsWith("corrupt image data", batch.Problem(i));
                    Assert.Equal(one.Problem(0), batch.Problem(i));
                    Assert.Throws<InvalidOperationException>(() => batch.Codes(i).Length);
                    continue;
                }
                Assert.Null(batch.Problem(i));
                Assert.Equal(one.Pixels(0).ToArray(), batch.Pixels(i).ToArray());
                Assert.Equal(one.Codes(0).ToArray(), batch.Codes(i).ToArray());
                maxDiff = Math.Max(maxDiff, PipelineParityTests.MaxAbsDiff(one.Reconstruction(0).ToArray(), batch.Reconstruction(i).ToArray()));
                compared++;
            }
        }
        Assert.Equal(c.Images.Count, compared);
        Assert.True(maxDiff <= 1e-5, $"max reconstruction difference {maxDiff}");
    }

    [Fact]
    public void Score_with_batches_writes_what_batch_size_1_writes()
    {
        var c = models.Gray;
        var (files, bad) = FolderWithABadFile(c);
        var images = Path.Combine(temp, c.Name);
        string Run(params string[] extra)
        {
            var output = Path.Combine(temp, "out" + string.Concat(extra));
            var run = Cli.Run(["score", "--model", c.OnnxFolder, "--images", images, "--out", output, .. extra]);
            Assert.Equal(1, run.ExitCode);  // one file failed, the others were scored
            Assert.StartsWith($"failed: {bad}: corrupt image data", run.Err);
            return output;
        }
        var rowPath = Run("--batch-size", "1");
        var sessions = Run("--batch-size", "5", "--threads", "1", "--graphs", "sessions");
        var transformer = Run("--batch-size", "5", "--threads", "1", "--graphs", "transformer");
        var byDefault = Run();

        // The two batched paths run the same graphs on the same batches: the same bytes, PNGs included.
        foreach (var file in new[] { FolderScorer.CodesFile, FolderScorer.MetricsFile })
            Assert.Equal(File.ReadAllBytes(Path.Combine(sessions, file)), File.ReadAllBytes(Path.Combine(transformer, file)));
        foreach (var image in files.Where(f => f.RelativePath != bad))
        {
            var png = Path.Combine("reconstructions", ReconstructionPng.RelativePathFor(image.RelativePath));
            Assert.Equal(File.ReadAllBytes(Path.Combine(sessions, png)), File.ReadAllBytes(Path.Combine(transformer, png)));
        }

        foreach (var output in new[] { sessions, transformer, byDefault })
        {
            Assert.Equal(File.ReadAllLines(Path.Combine(rowPath, FolderScorer.CodesFile)), File.ReadAllLines(Path.Combine(output, FolderScorer.CodesFile)));
            var (expected, actual) = (Metrics(rowPath), Metrics(output));
            Assert.Equal(expected.Keys, actual.Keys);
            // Reconstructions within 1e-5 of each other give MSEs within about 2e-5 · max |error|.
            foreach (var (path, mse) in expected) Assert.Equal(mse, actual[path], tolerance: 1e-6);
            var (a, b) = (Summary(rowPath), Summary(output));
            Assert.Equal((files.Count, files.Count - 1), (b.Found, b.Scored));
            Assert.Equal(a.Failures, b.Failures);
            Assert.Equal(a.MeanMse!.Value, b.MeanMse!.Value, tolerance: 1e-6);
            foreach (var image in files.Where(f => f.RelativePath != bad))
            {
                var png = ReconstructionPng.RelativePathFor(image.RelativePath);
                var (x, y) = (TestImages.ReadPlanar(Path.Combine(rowPath, "reconstructions", png), 1), TestImages.ReadPlanar(Path.Combine(output, "reconstructions", png), 1));
                // Bytes of values within 1e-5: equal, or one apart where a value sits on a rounding edge.
                Assert.True(PipelineParityTests.MaxAbsDiff(x, y) <= 1.001 / 255, image.RelativePath);
            }
            Assert.True(File.Exists(Path.Combine(output, FolderScorer.GridFile)));
        }
    }

    [Fact]
    public void Batch_size_and_threads_below_1_are_refused_before_any_work()
    {
        var c = models.Rgb;
        foreach (var (option, value) in new[] { ("--batch-size", "0"), ("--threads", "0"), ("--batch-size", "-3") })
        {
            var output = Path.Combine(temp, "refused");
            var run = Cli.Run("score", "--model", c.OnnxFolder, "--images", c.ImagesFolder, "--out", output, option, value);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains($"{option} {value}: must be at least 1", run.Err);
            Assert.False(Directory.Exists(output));
        }
    }

    static Dictionary<string, double> Metrics(string output) =>
        File.ReadAllLines(Path.Combine(output, FolderScorer.MetricsFile)).Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => f[0], f => double.Parse(f[1], CultureInfo.InvariantCulture));

    static RunSummary Summary(string output) => RunSummary.FromJson(File.ReadAllText(Path.Combine(output, "summary.json")));
}
