using TorchSharp;
using VqVae.Checkpoints;
using VqVae.Exporter;
using VqVae.Model;
using VqVae.Prior;
using VqVaeMl.MlNet.Cli;
using VqVaeMl.MlNet.Generation;
using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Tests;

/// <summary>
/// Sampling through ONNX Runtime alone: a random VQ-VAE and a prior over its codes, exported as a
/// training run is (`vqvae-export` picks up RUN/prior), then drawn from with PriorSampler and `sample`.
/// </summary>
public sealed class PriorSamplerTests : IDisposable
{
    readonly string scratch = Directory.CreateTempSubdirectory("vqvae-sampler-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    static readonly ModelConfig Vqvae = new() { Channels = 1, Height = 16, Width = 12, PatchSize = 4, HiddenSize = 8, CodebookSize = 6 };

    /// <param name="shape">edits the prior's weights before it is saved.</param>
    string ExportedRun(string name, int classCount, Action<GatedPixelCnn>? shape = null)
    {
        var run = Path.Combine(scratch, name);
        torch.manual_seed(11);
        using (var vqvae = new VqVaeModel(Vqvae))
            Checkpoint.Save(Path.Combine(run, Checkpoint.BestFolder), vqvae, new CheckpointInfo { Model = Vqvae });
        var config = new PriorConfig { CodebookSize = 6, Height = 4, Width = 3, Channels = 8, Layers = 2, ClassCount = classCount };
        using (var prior = new GatedPixelCnn(config))
        {
            shape?.Invoke(prior);
            PriorCheckpoint.Save(Path.Combine(run, PriorCheckpoint.DefaultFolder, Checkpoint.BestFolder), prior, new PriorInfo { Prior = config });
        }
        VqVaeOnnxExporter.ExportCheckpoint(run);
        return run;
    }

    [Fact]
    public void The_same_seed_draws_the_same_codes_and_another_seed_others()
    {
        var run = ExportedRun("seeded", classCount: 0);
        using var sampler = PriorSampler.Open(run, threads: 1);
        var a = sampler.Sample(20, seed: 4);
        var b = sampler.Sample(20, seed: 4);
        var c = sampler.Sample(20, seed: 5);
        Assert.Equal(a.Codes, b.Codes);
        Assert.Equal(a.Images, b.Images);
        Assert.NotEqual(a.Codes, c.Codes);
        Assert.Equal(20 * 12, a.Codes.Length);
        Assert.All(a.Codes, code => Assert.InRange(code, 0, 5));
        Assert.Equal(20 * 16 * 12, a.Images.Length);
    }

    /// <summary>
    /// With the last layer's weights zeroed every position's logits are its bias, so the draws must
    /// follow softmax(bias / T): 300 maps × 12 positions = 3,600 draws against known probabilities.
    /// </summary>
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void Draws_follow_the_softmax_of_the_logits_over_the_temperature(double temperature)
    {
        float[] bias = [2f, 1f, 0f, 0f, -1f, 0.5f];
        var run = ExportedRun($"fixed-{temperature}", classCount: 0, prior =>
        {
            using var _ = torch.no_grad();
            prior.output.weight!.zero_();
            prior.output.bias!.copy_(torch.tensor(bias));
        });
        using var sampler = PriorSampler.Open(run, threads: 1);
        var codes = sampler.SampleCodes(300, null, temperature, seed: 1);
        var expected = bias.Select(b => Math.Exp(b / temperature)).ToArray();
        double sum = expected.Sum();
        for (int k = 0; k < bias.Length; k++)
        {
            double observed = codes.Count(c => c == k) / (double)codes.Length;
            Assert.InRange(observed, expected[k] / sum - 0.03, expected[k] / sum + 0.03);
        }
    }

    [Fact]
    public void A_conditional_prior_takes_one_label_or_cycles_through_the_classes()
    {
        var run = ExportedRun("conditional", classCount: 3);
        using var sampler = PriorSampler.Open(run, threads: 1);
        Assert.Equal(new long[] { 2, 2, 2, 2 }, sampler.Sample(4, label: 2, seed: 1).Labels);
        Assert.Equal(new long[] { 0, 1, 2, 0 }, sampler.Sample(4, seed: 1).Labels);
        Assert.Throws<ArgumentException>(() => sampler.Sample(4, label: 3));
    }

    [Fact]
    public void Sample_writes_pngs_codes_and_a_grid_and_decode_reads_the_codes()
    {
        var run = ExportedRun("cli", classCount: 3);
        var samples = Path.Combine(scratch, "samples");
        var result = Cli.Run("sample", "--model", run, "--count", "7", "--label", "1", "--seed", "3", "--out", samples, "--threads", "1");
        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Contains("samples/s", result.Out);
        Assert.True(File.Exists(Path.Combine(samples, "sample-grid.png")));
        Assert.Equal(7, Directory.GetFiles(Path.Combine(samples, "samples"), "*.png").Length);

        // The same seed from the CLI again: the same codes.csv.
        var again = Path.Combine(scratch, "again");
        Assert.Equal(0, Cli.Run("sample", "--model", run, "--count", "7", "--label", "1", "--seed", "3", "--out", again, "--threads", "1").ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(samples, "codes.csv")), File.ReadAllText(Path.Combine(again, "codes.csv")));

        var decoded = Path.Combine(scratch, "decoded");
        var decode = Cli.Run("decode", "--model", run, "--codes", Path.Combine(samples, "codes.csv"), "--out", decoded);
        Assert.True(decode.ExitCode == 0, decode.Err);
        Assert.Contains("decoded 7 of 7 rows (0 failed)", decode.Out);
        var names = Directory.GetFiles(Path.Combine(samples, "samples")).Select(Path.GetFileName).Order();
        Assert.Equal(names, Directory.GetFiles(Path.Combine(decoded, "reconstructions")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Bad_input_is_refused_in_one_line()
    {
        var run = ExportedRun("refusals", classCount: 0);
        var label = Cli.Run("sample", "--model", run, "--label", "1", "--out", Path.Combine(scratch, "x"));
        Assert.Equal(ScoreCli.Refused, label.ExitCode);
        Assert.Contains("not class-conditional", label.Err);
        Assert.Single(label.Err.TrimEnd().Split('\n'));

        // Counts and thread numbers beyond what the machine can hold are refused before any sampling.
        foreach (var (option, value, message) in new[]
        {
            ("--count", "1000000000", "--count 1000000000: drawing that many samples at once would"),
            ("--threads", "2147483647", "--threads 2147483647: at most 1024 threads"),
        })
        {
            var huge = Cli.Run("sample", "--model", run, option, value, "--out", Path.Combine(scratch, "x"));
            Assert.Equal(ScoreCli.Refused, huge.ExitCode);
            Assert.StartsWith($"error: {message}", Assert.Single(huge.Err.TrimEnd().Split('\n')));
        }

        File.Delete(Path.Combine(run, OnnxContract.OutputFolder, OnnxContract.PriorFile));
        var missing = Cli.Run("sample", "--model", run, "--out", Path.Combine(scratch, "y"));
        Assert.Equal(ScoreCli.Refused, missing.ExitCode);
        Assert.Contains(OnnxContract.PriorFile, missing.Err);
        Assert.False(Directory.Exists(Path.Combine(scratch, "x")));
        Assert.False(Directory.Exists(Path.Combine(scratch, "y")));
    }
}
