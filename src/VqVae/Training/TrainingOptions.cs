using VqVae.Checkpoints;
using VqVae.Model;

namespace VqVae.Training;

/// <summary>One training run: the model to build and how to train it. Presets fill these from the reference post's recipes.</summary>
public sealed record TrainingOptions
{
    public ModelConfig Model { get; init; } = new();
    public CodebookTraining Codebook { get; init; } = new();
    public string Preset { get; init; } = "";
    /// <summary>Which data set this is (mnist, pokemon, or the folder's name), for reports.</summary>
    public string Dataset { get; init; } = "";
    public string DataPath { get; init; } = "";
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 256;
    public double LearningRate { get; init; } = 1e-4;
    public int Seed { get; init; } = 42;
    /// <summary>Share of an image folder held out for validation (MNIST IDX files bring their own split).</summary>
    public double ValidationFraction { get; init; } = 0.2;
    public ComputeDevice Device { get; init; } = ComputeDevice.Auto;
    /// <summary>libtorch intra-op threads; 0 keeps libtorch's default (one per core).</summary>
    public int Threads { get; init; }
    /// <summary>Stops an epoch early after this many steps (tests and benchmarks); 0 = the whole set.</summary>
    public int MaxStepsPerEpoch { get; init; }
    /// <summary>How many batches of encoder outputs feed the k-means initialisation.</summary>
    public int KmeansBatches { get; init; } = 4;
    public int KmeansIterations { get; init; } = 10;
    /// <summary>
    /// A folder written by `classifier train`: each epoch's validation then has a Fréchet distance in its features
    /// (1×28×28 images only). Where to find a measuring tool, not a setting of the run: not in config.json.
    /// </summary>
    public string? ClassifierFolder { get; init; }
    /// <summary>The adversarial loss (PatchGAN discriminator); null trains without it.</summary>
    public AdversarialTraining? Adversarial { get; init; }
    /// <summary>How the decoder is evaluated (auto: the table of K codes where it applies and pays).</summary>
    public DecoderPath DecoderPath { get; init; } = DecoderPath.Auto;
    /// <summary>The path this run takes: <see cref="DecoderPath"/> resolved for its model and batch size.</summary>
    public DecoderPath ResolvedDecoderPath => DecoderPathChoice.Resolve(DecoderPath, Model, BatchSize);
    /// <summary>The files the run's first weights were imported from (`import-pytorch`), recorded in every config.json of the run.</summary>
    public IReadOnlyList<ImportedFile>? ImportedFrom { get; init; }
}
