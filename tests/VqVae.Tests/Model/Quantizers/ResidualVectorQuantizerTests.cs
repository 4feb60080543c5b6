using VqVae.Checkpoints;
using VqVae.Model;
using VqVae.Model.Quantizers;
using VqVae.Training;
using static TorchSharp.torch;

namespace VqVae.Tests.Model.Quantizers;

public class ResidualVectorQuantizerTests
{
    [Fact]
    public void Each_level_quantizes_what_the_levels_before_it_left_and_z_q_is_their_sum()
    {
        manual_seed(51);
        var rvq = new ResidualVectorQuantizer(depth: 3, codebookSize: 6, hiddenSize: 4);
        foreach (var level in rvq.levels) using (no_grad()) level.weight.normal_();
        var ze = randn(2, 5, 5, 4);
        var output = rvq.forward(ze);
        Assert.Equal(new long[] { 2, 5, 5, 3 }, output.Codes.shape);
        var residual = ze;
        var sum = zeros_like(ze);
        for (int l = 0; l < 3; l++)
        {
            var expected = rvq.levels[l].Codes(residual);
            Assert.True(output.Codes[.., .., .., l].equal(expected).all().item<bool>(), $"level {l}");
            var q = rvq.levels[l].Lookup(expected);
            sum += q;
            residual = residual - q;
        }
        Assert.True(output.ZQ.allclose(sum, atol: 1e-6));
        Assert.True(rvq.Lookup(output.Codes).allclose(sum, atol: 1e-6));
        Assert.True(rvq.Codes(ze).equal(output.Codes).all().item<bool>());
        // A VQ and a commitment term per level, as for VQ.
        Assert.Equal(6, output.Loss.Terms.Count);
        // Deeper levels can only shrink what is left: the sum is closer to z_e than the first level alone.
        var first = rvq.levels[0].Lookup(output.Codes[.., .., .., 0]);
        Assert.True((ze - sum).pow(2).mean().item<float>() < (ze - first).pow(2).mean().item<float>());
    }

    [Fact]
    public void Training_with_ema_kmeans_and_restarts_updates_every_level_and_reports_each()
    {
        var images = rand(64, 1, 28, 28);
        var options = new TrainingOptions
        {
            Epochs = 1, BatchSize = 32, Device = ComputeDevice.Cpu, Seed = 5, KmeansBatches = 1,
            Model = new ModelConfig { HiddenSize = 8, CodebookSize = 8, Quantizer = QuantizerKind.Rvq, Depth = 2 },
            Codebook = new CodebookTraining { Update = CodebookUpdate.Ema, KmeansInit = true, DeadCodeThreshold = 0.5, EmaDecay = 0.8 },
        };
        var loop = new TrainingLoop(options, images, images);
        var rvq = (ResidualVectorQuantizer)loop.Model.quantizer;
        Assert.All(rvq.levels, level => Assert.False(level.weight.requires_grad));
        var before = rvq.levels.Select(level => level.weight.detach().clone()).ToArray();
        using var dir = new TempFolder();
        var metrics = loop.Run(dir.Path).Single();
        for (int l = 0; l < 2; l++) Assert.False(rvq.levels[l].weight.allclose(before[l]), $"level {l} did not move");
        Assert.Equal(2, metrics.LevelActiveCodes!.Count);
        Assert.Equal(metrics.LevelActiveCodes.Sum(), metrics.ActiveCodes);
        Assert.All(metrics.LevelActiveCodes, active => Assert.InRange(active, 1, 8));
        Assert.Equal(metrics.LevelPerplexity!.Aggregate(1.0, (a, b) => a * b), metrics.Perplexity, 6);
        var csv = File.ReadAllLines(Path.Combine(dir.Path, TrainingLoop.MetricsFile));
        Assert.EndsWith(MetricsCsv.LevelColumns, csv[0]);
        Assert.EndsWith($",{metrics.LevelActiveCodes[0]} {metrics.LevelActiveCodes[1]},{string.Join(' ', metrics.LevelPerplexity!.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)))}", csv[1]);

        // Saved and loaded again: the same codes for the same images.
        var (loaded, info) = Checkpoint.Load(dir.Path);
        Assert.Equal(options.Model, info.Model);
        using var _ = no_grad();
        Assert.True(loaded.Quantize(loaded.Encode(images)).Codes.equal(loop.Model.Quantize(loop.Model.Encode(images)).Codes).all().item<bool>());
    }
}
