using TorchSharp;
using VqVae.Checkpoints;
using VqVae.Model;
using static TorchSharp.torch;

namespace VqVae.Exporter.Tests;

/// <summary>One small trained model, its checkpoint folder (laid out as train writes it) and its exported graphs.</summary>
public sealed record TrainedModel(string Name, VqVaeModel Model, CheckpointInfo Info, string TrainingDir, string OnnxDir, float[] Images)
{
    public override string ToString() => Name;
}

/// <summary>
/// Trains five small models once for the whole test collection — patch and conv, gray 28×28 (p = 4)
/// and RGB 8×8 (p = 2), and an RGB patch model too narrow for a decoder table — a few dozen Adam steps
/// on structured images, so the codebook is not trivial,
/// then saves each as a training folder (best/, last/) and exports it.
/// </summary>
public sealed class TrainedModels : IDisposable
{
    public const int Steps = 40;
    public string Root { get; } = Directory.CreateTempSubdirectory("vqvae-export-tests-").FullName;
    public IReadOnlyDictionary<string, TrainedModel> All { get; }

    public static readonly string[] Names = { "patch-gray", "patch-rgb", "conv-gray", "conv-rgb" };

    /// <summary>A patch model whose decoder table would be larger than the direct decoder graph (not in <see cref="Names"/>).</summary>
    public const string PatchWithoutTable = "patch-no-table";

    public TrainedModels()
    {
        var configs = new Dictionary<string, ModelConfig>
        {
            ["patch-gray"] = new() { Arch = Arch.Patch, Channels = 1, Height = 28, Width = 28, PatchSize = 4, HiddenSize = 32, CodebookSize = 16 },
            ["patch-rgb"] = new() { Arch = Arch.Patch, Channels = 3, Height = 8, Width = 8, PatchSize = 2, HiddenSize = 16, CodebookSize = 16 },
            ["conv-gray"] = new() { Arch = Arch.Conv, Channels = 1, Height = 28, Width = 28, PatchSize = 4, HiddenSize = 32, CodebookSize = 16, ConvChannels = 16 },
            ["conv-rgb"] = new() { Arch = Arch.Conv, Channels = 3, Height = 8, Width = 8, PatchSize = 2, HiddenSize = 16, CodebookSize = 16, ConvChannels = 8 },
            // Narrow latents and many codes: its table (K·p·p·C) outweighs the direct decoder, which is then exported (int8 too).
            [PatchWithoutTable] = new() { Arch = Arch.Patch, Channels = 3, Height = 8, Width = 8, PatchSize = 4, HiddenSize = 8, CodebookSize = 32 },
        };
        // One model trains its codebook through the decoder too, so both estimators are exported.
        All = configs.ToDictionary(kv => kv.Key, kv => Train(kv.Key, kv.Value,
            kv.Key == "patch-rgb" ? GradientEstimator.StraightThroughToCodebook : GradientEstimator.StraightThrough));
    }

    public TrainedModel this[string name] => All[name];

    TrainedModel Train(string name, ModelConfig config, GradientEstimator estimator, int seed = 7)
    {
        torch.manual_seed(seed);
        var model = new VqVaeModel(config, estimator);
        SeedCodebook(model, Shapes(config, 32, seed * 1000 - 1));
        using var optimizer = optim.Adam(model.parameters(), lr: 3e-4);
        model.train();
        for (int step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            var x = Shapes(config, 32, seed * 1000 + step);
            var output = model.forward(x);
            var loss = VqVaeModel.Loss(output, x);
            optimizer.zero_grad();
            loss.Total.backward();
            optimizer.step();
            // Re-seed codes that stopped winning vectors, so many codes stay in use after a few dozen steps.
            model.codebook.RestartDeadCodes(output.ZE.detach().reshape(-1, config.HiddenSize), output.Codes, threshold: 1.0, decay: 0.8);
        }
        model.eval();

        var info = new CheckpointInfo
        {
            Model = config,
            Epoch = 1,
            Metrics = new EpochMetrics { Epoch = 1, ValidationMse = 0.01, ActiveCodes = 5, Perplexity = 4.2 },
            Training = new TrainingSettings { Preset = "test", DataPath = "", Epochs = 1, BatchSize = 32, LearningRate = 3e-3, Seed = seed },
        };
        var trainingDir = Path.Combine(Root, name);
        Checkpoint.Save(Path.Combine(trainingDir, Checkpoint.BestFolder), model, info);
        Checkpoint.Save(Path.Combine(trainingDir, Checkpoint.LastFolder), model, info);
        var result = VqVaeOnnxExporter.ExportCheckpoint(trainingDir);

        float[] images;
        using (var scope = NewDisposeScope())
            images = Shapes(config, 10, seed + 99).data<float>().ToArray();
        return new TrainedModel(name, model, info, trainingDir, result.OutputDirectory, images);
    }

    /// <summary>
    /// Sets the codes to encoder outputs of real images (a one-shot k-means-style start), so training
    /// spreads the data over many codes instead of collapsing onto one as the reference post's init tends to.
    /// </summary>
    static void SeedCodebook(VqVaeModel model, Tensor images)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var z = model.Encode(images).reshape(-1, model.Config.HiddenSize);
        var picks = randperm(z.shape[0])[..model.Config.CodebookSize];
        model.codebook.Assign(z.index_select(0, picks));
    }

    /// <summary>
    /// Images of a few random axis-aligned rectangles of random colour on a dark background: edges and
    /// flat areas, so different patches want different codes (unlike uniform noise).
    /// </summary>
    public static Tensor Shapes(ModelConfig c, int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new float[count * c.Channels * c.Height * c.Width];
        for (int n = 0; n < count; n++)
            for (int r = 0; r < 3; r++)
            {
                int y0 = random.Next(c.Height), x0 = random.Next(c.Width);
                int y1 = Math.Min(c.Height, y0 + 1 + random.Next(c.Height / 2)), x1 = Math.Min(c.Width, x0 + 1 + random.Next(c.Width / 2));
                for (int ch = 0; ch < c.Channels; ch++)
                {
                    float value = 0.3f + 0.7f * random.NextSingle();
                    for (int y = y0; y < y1; y++)
                        for (int x = x0; x < x1; x++)
                            pixels[((n * c.Channels + ch) * c.Height + y) * c.Width + x] = value;
                }
            }
        return tensor(pixels, new long[] { count, c.Channels, c.Height, c.Width });
    }

    public void Dispose()
    {
        foreach (var m in All.Values) m.Model.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ModelsCollection : ICollectionFixture<TrainedModels>
{
    public const string Name = "trained models";
}
