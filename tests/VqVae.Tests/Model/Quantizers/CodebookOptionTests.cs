using VqVae.Checkpoints;
using VqVae.Model;
using VqVae.Model.Quantizers;
using VqVae.Training;
using static TorchSharp.torch;

namespace VqVae.Tests.Model.Quantizers;

/// <summary>Each codebook option changes what it says it changes, and nothing when off.</summary>
public class CodebookOptionTests
{
    [Fact]
    public void Ema_update_moves_each_used_code_towards_the_mean_of_its_vectors()
    {
        manual_seed(21);
        var codebook = new VectorQuantizer(4, 3);
        var z = tensor(new float[] { 1, 1, 1, 3, 3, 3, -2, 0, 2 }).reshape(3, 3);
        var codes = tensor(new long[] { 0, 0, 2 });
        var before = codebook.weight.detach().clone();
        // With decay 0 the EMA forgets the past: code 0 becomes the mean of its two vectors, code 2 its one vector.
        codebook.EmaUpdate(z, codes, decay: 0.0, epsilon: 0);
        var after = codebook.weight.detach();
        Assert.True(after[0].allclose(tensor(new float[] { 2, 2, 2 }), atol: 1e-5));
        Assert.True(after[2].allclose(tensor(new float[] { -2, 0, 2 }), atol: 1e-5));
        Assert.False(after[0].allclose(before[0]));
    }

    [Fact]
    public void Ema_mode_takes_the_codebook_out_of_the_optimizer_and_the_vq_loss()
    {
        var train = rand(64, 1, 28, 28);
        var options = new TrainingOptions
        {
            Epochs = 1, BatchSize = 32, Device = ComputeDevice.Cpu, Seed = 3,
            Model = new ModelConfig { HiddenSize = 16, CodebookSize = 8 },
            Codebook = new CodebookTraining { Update = CodebookUpdate.Ema },
        };
        var loop = new TrainingLoop(options, train, train);
        Assert.False(loop.Model.codebook.weight.requires_grad);
        var before = loop.Model.codebook.weight.detach().clone();
        using var dir = new TempFolder();
        loop.Run(dir.Path);
        Assert.False(loop.Model.codebook.weight.allclose(before), "EMA updates must move the codebook");
    }

    [Fact]
    public void Dead_codes_are_reseeded_from_encoder_outputs()
    {
        manual_seed(22);
        var codebook = new VectorQuantizer(6, 2);
        var z = randn(50, 2) + 100;             // far from every code: all pick the same one
        var codes = codebook.Nearest(z);
        int restarted = 0;
        for (int i = 0; i < 20; i++) restarted += codebook.RestartDeadCodes(z, codes, threshold: 1.0, decay: 0.5);
        Assert.True(restarted >= 5, $"only {restarted} codes restarted");
        // Every re-seeded code now sits on one of the encoder outputs.
        var weight = codebook.weight.detach();
        int onData = 0;
        for (int k = 0; k < 6; k++)
            if ((z - weight[k]).abs().sum(1).min().item<float>() < 1e-5) onData++;
        Assert.True(onData >= 5);
    }

    [Fact]
    public void Codes_the_first_batch_leaves_unused_are_restarted_at_once_and_fresh_codes_must_win_to_stay()
    {
        manual_seed(23);
        var codebook = new VectorQuantizer(6, 2);
        var z = randn(50, 2) + 100;             // all 50 vectors pick one code, five get nothing
        var codes = codebook.Nearest(z);
        // No grace period on the first batch: what it shows unused is dead now, not 70 steps later.
        Assert.Equal(5, codebook.RestartDeadCodes(z, codes, threshold: 0.5, decay: 0.99));
        // Re-seeded codes that then win nothing (the same assignment again) are re-seeded on the next batch.
        Assert.Equal(5, codebook.RestartDeadCodes(z, codes, threshold: 0.5, decay: 0.99));
    }

    [Fact]
    public void Kmeans_init_puts_the_codes_on_the_data_and_uses_more_of_them()
    {
        var images = rand(128, 1, 28, 28);
        TrainingLoop Loop(bool kmeans) => new(new TrainingOptions
        {
            Epochs = 0, BatchSize = 64, Device = ComputeDevice.Cpu, Seed = 4, KmeansBatches = 2,
            Model = new ModelConfig { HiddenSize = 16, CodebookSize = 16 },
            Codebook = new CodebookTraining { KmeansInit = kmeans },
        }, images, images);
        using var dir = new TempFolder();
        var plain = Loop(false);
        var withKmeans = Loop(true);
        withKmeans.Run(dir.Path); // epochs 0: only the initialisation runs
        using var _ = no_grad();
        var zPlain = plain.Model.Encode(images).reshape(-1, 16);
        var zKmeans = withKmeans.Model.Encode(images).reshape(-1, 16);
        var distortionPlain = Kmeans.Distortion(zPlain, plain.Model.codebook.weight.detach());
        var distortionKmeans = Kmeans.Distortion(zKmeans, withKmeans.Model.codebook.weight.detach());
        Assert.True(distortionKmeans < 0.5 * distortionPlain, $"k-means {distortionKmeans} vs uniform init {distortionPlain}");
        Assert.True(withKmeans.Model.codebook.Nearest(zKmeans).unique().Item1.shape[0] > plain.Model.codebook.Nearest(zPlain).unique().Item1.shape[0]);
    }

    [Fact]
    public void Kmeans_distortion_falls_with_iterations()
    {
        manual_seed(23);
        var points = cat(new[] { randn(100, 2) + 10, randn(100, 2) - 10, randn(100, 2) });
        var one = Kmeans.Distortion(points, Kmeans.Fit(points, 3, 1, new Generator(1)));
        var many = Kmeans.Distortion(points, Kmeans.Fit(points, 3, 20, new Generator(1)));
        Assert.True(many <= one);
        Assert.True(many < 1.2, $"three well separated clusters of unit variance: distortion {many}");
    }
}
