using System.Collections.Concurrent;
using TorchSharp;
using VqVae.Checkpoints;
using VqVae.Exporter;
using VqVae.Model;
using VqVae.Training;
using static TorchSharp.torch;

namespace VqVae.TestSupport;

/// <summary>
/// A small trained model: the shape images it was trained on (files, and their pixels), its run folder laid
/// out as `train` writes it (best/, last/) and the graphs exported from that run (<c>TrainingDir/onnx</c>).
/// </summary>
/// <param name="Images">The training images' paths, relative to <paramref name="ImagesFolder"/>.</param>
/// <param name="Pixels">Their pixels as the model saw them: [N, C, H, W] flattened, in 0..1.</param>
public sealed record TrainedModel(string Name, VqVaeModel Model, CheckpointInfo Info, string ImagesFolder,
    IReadOnlyList<string> Images, float[] Pixels, string TrainingDir, string OnnxDir)
{
    public ModelConfig Config => Info.Model;
    public override string ToString() => Name;
}

/// <summary>
/// The models the exporter, ML.NET and output-safety tests use, each trained once per test process and only
/// when a test first asks for it, on shape images written to a folder (PNG and some JPEG, some in sub-folders)
/// and read back. A vq model takes a few dozen Adam steps from a codebook started on encoder outputs (as
/// k-means would), dead codes restarted so many codes stay in use, and is saved as a run; an fsq or rvq model
/// is trained by the training loop, as a user's run is. Each run is then exported as a user would.
/// </summary>
public sealed class TrainedModels : IDisposable
{
    public const int Steps = 40;

    /// <summary>The four models the exporter is tested on: patch and conv, grey 28×28 (p = 4) and RGB 8×8 (p = 2).</summary>
    public static readonly string[] Names = ["patch-gray", "patch-rgb", "conv-gray", "conv-rgb"];

    /// <summary>The fsq and rvq models the exporter is tested on.</summary>
    public static readonly string[] QuantizerNames = ["fsq-patch-gray", "rvq-conv-gray", "rvq-patch-rgb"];

    static readonly Dictionary<string, Spec> Specs = new()
    {
        ["patch-gray"] = new(new() { Arch = Arch.Patch, Channels = 1, Height = 28, Width = 28, PatchSize = 4, HiddenSize = 32, CodebookSize = 16 }, 32, 7),
        // Trains its codebook through the decoder too, so both estimators are exported.
        ["patch-rgb"] = new(new() { Arch = Arch.Patch, Channels = 3, Height = 8, Width = 8, PatchSize = 2, HiddenSize = 16, CodebookSize = 16 }, 32, 7,
            GradientEstimator.StraightThroughToCodebook),
        ["conv-gray"] = new(new() { Arch = Arch.Conv, Channels = 1, Height = 28, Width = 28, PatchSize = 4, HiddenSize = 32, CodebookSize = 16, ConvChannels = 16 }, 32, 7),
        ["conv-rgb"] = new(new() { Arch = Arch.Conv, Channels = 3, Height = 8, Width = 8, PatchSize = 2, HiddenSize = 16, CodebookSize = 16, ConvChannels = 8 }, 32, 7),
        // The ML.NET side scores a grey and an RGB folder.
        ["gray"] = new(new() { Channels = 1, Height = 28, Width = 28, PatchSize = 4, HiddenSize = 32, CodebookSize = 32 }, 36, 1),
        ["rgb"] = new(new() { Channels = 3, Height = 16, Width = 16, PatchSize = 2, HiddenSize = 32, CodebookSize = 32 }, 24, 2),
        // The other quantizers, through the training loop. FSQ's projection starts small, so every patch lands on
        // the grid's centre until it has trained a little: it gets more epochs.
        ["fsq-patch-gray"] = new(Gray16 with { Quantizer = QuantizerKind.Fsq, Levels = new FsqLevels([5, 4, 3]), CodebookSize = 60 }, 32, 3,
            Loop: new() { Epochs = 8, Codebook = new() }),
        ["rvq-conv-gray"] = new(Gray16 with { Arch = Arch.Conv, ConvChannels = 8, CodebookSize = 8, Quantizer = QuantizerKind.Rvq, Depth = 3 }, 32, 3,
            Loop: new() { Epochs = 1, Codebook = Ema }),
        ["rvq-patch-rgb"] = new(new() { Channels = 3, Height = 8, Width = 8, PatchSize = 2, HiddenSize = 8, CodebookSize = 8, Quantizer = QuantizerKind.Rvq, Depth = 2 }, 32, 3,
            Loop: new() { Epochs = 1, Codebook = Ema }),
        ["rvq-patch-rgb16"] = new(new() { Channels = 3, Height = 16, Width = 16, PatchSize = 2, HiddenSize = 16, CodebookSize = 16, Quantizer = QuantizerKind.Rvq, Depth = 3 }, 24, 4,
            Loop: new() { Epochs = 2, Codebook = Ema }),
    };

    static ModelConfig Gray16 => new() { Channels = 1, Height = 28, Width = 28, PatchSize = 4, HiddenSize = 16 };
    static CodebookTraining Ema => new() { Update = CodebookUpdate.Ema, EmaDecay = 0.8, KmeansInit = true, DeadCodeThreshold = 0.5 };

    readonly ConcurrentDictionary<string, Lazy<TrainedModel>> trained = new();

    public string Root { get; } = Directory.CreateTempSubdirectory("vqvae-trained-models-").FullName;

    public TrainedModel this[string name] =>
        trained.GetOrAdd(name, n => new Lazy<TrainedModel>(() => Train(n, Specs[n]))).Value;

    public TrainedModel Gray => this["gray"];
    public TrainedModel Rgb => this["rgb"];

    /// <summary>More shape images for a model's shape, drawn in memory (the same pictures the models trained on, other draws).</summary>
    public static Tensor Shapes(ModelConfig config, int count, int seed) => ShapeImages.Tensor(config, count, seed);

    /// <param name="Loop">Trained by the training loop with these options (batches of 8); null: by the fixture's own steps.</param>
    sealed record Spec(ModelConfig Config, int ImageCount, int Seed, GradientEstimator Estimator = GradientEstimator.StraightThrough, TrainingOptions? Loop = null);

    TrainedModel Train(string name, Spec spec)
    {
        var config = spec.Config;
        // Tiny models: one thread trains them as fast as two and leaves the other core to the test host.
        torch.set_num_threads(1);
        var images = Path.Combine(Root, name, "images");
        var paths = ShapeImages.WriteFolder(images, spec.ImageCount, config.Height, rgb: config.Channels == 3, spec.Seed);
        var pixels = paths.SelectMany(p => ShapeImages.ReadPlanar(Path.Combine(images, p), config.Channels)).ToArray();
        long[] shape = [spec.ImageCount, config.Channels, config.Height, config.Width];
        var run = Path.Combine(Root, name, "run");
        if (spec.Loop is { } loop) return TrainByLoop(name, spec, loop, images, paths, pixels, run);

        torch.manual_seed(spec.Seed);
        var model = new VqVaeModel(config, spec.Estimator);
        // Codes start on encoder outputs: from the reference post's tiny uniform init a few dozen steps often
        // leave every patch on one code, and the parity tests want varied codes.
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var z = model.Encode(tensor(pixels, shape)).reshape(-1, config.HiddenSize);
            model.codebook.Assign(z.index_select(0, randperm(z.shape[0])[..config.CodebookSize]));
        }
        using (var optimizer = optim.Adam(model.parameters(), lr: 3e-3))
        {
            model.train();
            for (int step = 0; step < Steps; step++)
            {
                using var scope = NewDisposeScope();
                var x = tensor(pixels, shape);
                var output = model.forward(x);
                var loss = VqVaeModel.Loss(output, x);
                optimizer.zero_grad();
                loss.Total.backward();
                optimizer.step();
                model.codebook.RestartDeadCodes(output.ZE.detach().reshape(-1, config.HiddenSize), output.Codes, threshold: 1.0, decay: 0.8);
            }
        }
        model.eval();

        var info = new CheckpointInfo
        {
            Model = config,
            Epoch = 1,
            Metrics = new EpochMetrics { Epoch = 1, ValidationMse = 0.01, ActiveCodes = 5, Perplexity = 4.2 },
            Training = new TrainingSettings { Preset = "test", Dataset = name, DataPath = "", Epochs = 1, BatchSize = spec.ImageCount, LearningRate = 3e-3, Seed = spec.Seed },
        };
        Checkpoint.Save(Path.Combine(run, Checkpoint.BestFolder), model, info);
        Checkpoint.Save(Path.Combine(run, Checkpoint.LastFolder), model, info);
        var export = VqVaeOnnxExporter.ExportCheckpoint(run);
        return new TrainedModel(name, model, info, images, paths, pixels, run, export.OutputDirectory);
    }

    /// <summary>A run as `train` writes it, the best checkpoint loaded back and exported.</summary>
    static TrainedModel TrainByLoop(string name, Spec spec, TrainingOptions loopOptions, string images, List<string> paths, float[] pixels, string run)
    {
        var c = spec.Config;
        var options = loopOptions with
        {
            Model = c,
            BatchSize = 8,
            LearningRate = 3e-3,
            Device = ComputeDevice.Cpu,
            Seed = spec.Seed,
            KmeansBatches = 2,
            Dataset = name,
        };
        using (var x = tensor(pixels, [spec.ImageCount, c.Channels, c.Height, c.Width]))
        {
            var loop = new TrainingLoop(options, x, x);
            loop.Run(run);
            loop.Model.Dispose();
        }
        var (model, info) = Checkpoint.Load(run);
        var export = VqVaeOnnxExporter.ExportCheckpoint(run);
        return new TrainedModel(name, model, info, images, paths, pixels, run, export.OutputDirectory);
    }

    public void Dispose()
    {
        foreach (var model in trained.Values.Where(m => m.IsValueCreated)) model.Value.Model.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class TrainedModelsCollection : ICollectionFixture<TrainedModels>
{
    public const string Name = "trained models";
}
