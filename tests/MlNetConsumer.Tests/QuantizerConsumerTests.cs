using Microsoft.ML;
using TorchSharp;
using VqVae.Checkpoints;
using VqVae.Exporter;
using VqVae.Model;
using VqVae.TestSupport;
using VqVae.Training;
using VqVaeMl.MlNet.Scoring;
using static TorchSharp.torch;

namespace VqVaeMl.MlNet.Tests;

/// <summary>
/// FSQ and residual-VQ graphs through the same ML.NET code an app uses for VQ, and through the CLI: an FSQ model
/// (grey 28×28) and a residual-VQ model of depth 3 (RGB 16×16), trained a few steps by the training loop and exported.
/// </summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class QuantizerConsumerTests(TrainedModels models) : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("vqvae-mlnet-quantizer-cli-").FullName;
    public void Dispose() => Directory.Delete(temp, recursive: true);

    public static TheoryData<string> Names => new() { "fsq", "rvq" };
    TrainedModel Case(string name) => models[name == "fsq" ? "fsq-patch-gray" : "rvq-patch-rgb16"];

    static (long[] Codes, float[] Reconstruction) Torch(VqVaeModel model, float[] pixels)
    {
        var c = model.Config;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (codes, _) = model.Quantize(model.Encode(tensor(pixels, [1, c.Channels, c.Height, c.Width])));
        return (codes.data<long>().ToArray(), model.DecodeCodes(codes).data<float>().ToArray());
    }

    [Theory, MemberData(nameof(Names))]
    public void The_catalog_and_typed_rows_give_torchs_codes_and_reconstructions(string name)
    {
        var c = Case(name);
        // The same lines an app writes for a VQ model: the folder's metadata says the rest.
        var model = VqVaeModelFolder.Open(c.TrainingDir);
        var engine = VqVaeScoringModel.ForImages(new MLContext(seed: 0), model).CreateImageEngine<VqVaePrediction>();
        Assert.Equal(c.Config.LatentHeight * c.Config.LatentWidth * c.Config.CodesPerPosition, model.CodeCount);
        var seen = new HashSet<long>();
        foreach (var relative in c.Images)
        {
            var p = engine.Predict(new VqVaeImageInput { ImagePath = Path.Combine(c.ImagesFolder, relative) });
            var (codes, reconstruction) = Torch(c.Model, p.Pixels);
            Assert.Equal(codes, p.Codes);
            Assert.True(reconstruction.Zip(p.Reconstruction).Max(d => Math.Abs(d.First - d.Second)) <= 1e-5, relative);
            seen.UnionWith(p.Codes);
        }
        Assert.True(seen.Count >= 4, $"{seen.Count} distinct codes");
        Assert.All(seen, code => Assert.InRange(code, 0, c.Config.CodebookSize - 1));
    }

    [Fact]
    public void Rvq_codes_csv_holds_the_levels_of_each_position_together_and_decode_reads_it_back()
    {
        var c = Case("rvq");
        int positions = c.Config.LatentHeight * c.Config.LatentWidth, depth = c.Config.Depth;
        var scored = Path.Combine(temp, "scored");
        var run = Cli.Run("score", "--model", c.TrainingDir, "--images", c.ImagesFolder, "--out", scored);
        Assert.True(run.ExitCode == 0, run.Err);
        var one = Path.Combine(temp, "scored-one-at-a-time");
        Assert.Equal(0, Cli.Run("score", "--model", c.TrainingDir, "--images", c.ImagesFolder, "--out", one, "--batch-size", "1").ExitCode);
        Assert.Equal(File.ReadAllBytes(Path.Combine(scored, FolderScorer.CodesFile)), File.ReadAllBytes(Path.Combine(one, FolderScorer.CodesFile)));

        var lines = File.ReadAllLines(Path.Combine(scored, FolderScorer.CodesFile));
        Assert.StartsWith("path,h,w,c0_0,c0_1,c0_2,c1_0,", lines[0]);
        Assert.EndsWith($",c{positions - 1}_{depth - 1}", lines[0]);
        using (var reader = new StreamReader(Path.Combine(scored, FolderScorer.CodesFile)))
            foreach (var (row, error) in CodesCsv.Read(reader, "codes.csv"))
            {
                Assert.Null(error);
                Assert.Equal(depth, row!.CodesPerPosition);
                var pixels = ShapeImages.ReadPlanar(Path.Combine(c.ImagesFolder, row.Path), c.Config.Channels);
                Assert.Equal(Torch(c.Model, pixels).Codes, row.Codes);     // [h, w, L] row-major
            }

        var decoded = Path.Combine(temp, "decoded");
        run = Cli.Run("decode", "--model", c.OnnxDir, "--codes", Path.Combine(scored, FolderScorer.CodesFile), "--out", decoded);
        Assert.True(run.ExitCode == 0, run.Err);
        foreach (var file in Directory.GetFiles(Path.Combine(scored, FolderScorer.ReconstructionsFolder), "*", SearchOption.AllDirectories))
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(decoded, FolderScorer.ReconstructionsFolder, Path.GetRelativePath(Path.Combine(scored, FolderScorer.ReconstructionsFolder), file))));
    }

    [Fact]
    public void Rvq_decode_refuses_one_code_per_position_and_sample_refuses_the_model()
    {
        var c = Case("rvq");
        var csv = Path.Combine(temp, "single-level.csv");
        int positions = c.Config.LatentHeight * c.Config.LatentWidth;
        File.WriteAllText(csv, $"path,h,w,{string.Join(",", Enumerable.Range(0, positions).Select(i => $"c{i}"))}\n" +
            $"a.png,{c.Config.LatentHeight},{c.Config.LatentWidth},{string.Join(",", Enumerable.Repeat(1, positions))}\n");
        var decoded = Path.Combine(temp, "decoded");
        var run = Cli.Run("decode", "--model", c.OnnxDir, "--codes", csv, "--out", decoded);
        Assert.Equal(1, run.ExitCode);
        var summary = RunSummary.FromJson(File.ReadAllText(Path.Combine(decoded, "summary.json")));
        Assert.Contains("1 code(s) per position, but the model's quantizer makes 3", Assert.Single(summary.Failures).Reason);

        var sample = Cli.Run("sample", "--model", c.OnnxDir, "--out", Path.Combine(temp, "samples"));
        Assert.Equal(2, sample.ExitCode);
        Assert.Contains("cannot be sampled", sample.Err);
        Assert.False(Directory.Exists(Path.Combine(temp, "samples")));
    }

    [Fact]
    public void Rvq_shards_merge_into_what_one_run_writes()
    {
        var c = Case("rvq");
        var single = Path.Combine(temp, "single");
        Assert.Equal(0, Cli.Run("score", "--model", c.OnnxDir, "--images", c.ImagesFolder, "--out", single).ExitCode);
        var shards = Enumerable.Range(0, 2).Select(i =>
        {
            var output = Path.Combine(temp, $"shard{i}");
            Assert.Equal(0, Cli.Run("score", "--model", c.OnnxDir, "--images", c.ImagesFolder, "--out", output, "--shard", $"{i}/2").ExitCode);
            return output;
        }).ToArray();
        var merged = Path.Combine(temp, "merged");
        var run = Cli.Run(["merge", "--out", merged, .. shards]);
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Equal(File.ReadAllBytes(Path.Combine(single, FolderScorer.CodesFile)), File.ReadAllBytes(Path.Combine(merged, FolderScorer.CodesFile)));
    }
}
