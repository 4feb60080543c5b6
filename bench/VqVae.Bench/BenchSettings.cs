namespace VqVae.Bench;

/// <summary>
/// How much of everything one run measures. Full mode is sized to finish within about 20 minutes on a
/// 2-core machine at the speeds of the straight TorchSharp port (faster code finishes sooner); quick
/// mode runs every path once on tiny counts, to check the bench itself, and its figures mean little.
/// </summary>
public sealed record BenchSettings
{
    public bool Quick { get; init; }
    public int Threads { get; init; }
    public string DataDir { get; init; } = "data";

    /// <summary>Timed runs per matrix-product shape (after one warm-up run).</summary>
    public int GemmRepeats { get; init; }
    /// <summary>Quick mode measures only the two largest products (the transposed convolutions).</summary>
    public bool AllGemmShapes { get; init; }

    /// <summary>Training runs of vqvae-train: epochs, and steps per epoch (0 = the whole training set).</summary>
    public int MnistEpochs { get; init; }
    public int MnistStepsPerEpoch { get; init; }
    public int PokemonEpochs { get; init; }
    public int PokemonStepsPerEpoch { get; init; }
    /// <summary>MNIST validation images the trainer evaluates after each epoch (the t10k set cut short: validation is not timed).</summary>
    public int MnistValidationImages { get; init; }

    /// <summary>Epochs of the post's code and of the trainer, alternating (epoch 1 is the warm-up), and MNIST steps per epoch (Pokémon: whole epochs).</summary>
    public int PostEpochs { get; init; }
    public int PostMnistSteps { get; init; }

    /// <summary>Timed repeats of each inference path (after one warm-up pass).</summary>
    public int InferenceRepeats { get; init; }
    /// <summary>Batch size of TorchSharp eval and batched ONNX Runtime (the targets are for 256), and batches per repeat.</summary>
    public int InferenceBatch { get; init; }
    public int BatchesPerRepeat { get; init; }
    /// <summary>Images per repeat for the one-at-a-time paths (ONNX Runtime batch 1, ML.NET PredictionEngine).</summary>
    public int SingleImagesPerRepeat { get; init; }
    /// <summary>PNG files per `vqvae-score score` run, and how many runs.</summary>
    public int ScoreFiles { get; init; }
    public int ScoreRepeats { get; init; }
    /// <summary>PNG files of the scoring memory run (the target is stated for 20,000).</summary>
    public int ScoreMemoryFiles { get; init; }
    /// <summary>
    /// Trained models (training or checkpoint folders) whose float32 and int8 exports are compared, by
    /// preset; a preset not listed uses the checkpoint the training section just made.
    /// </summary>
    public IReadOnlyDictionary<string, string> Int8Models { get; init; } = new Dictionary<string, string>();
    /// <summary>Measure only the int8 comparison, of the models in <see cref="Int8Models"/>.</summary>
    public bool Int8Only { get; init; }

    public const int TargetScoreMemoryFiles = 20_000;
    public const int TargetTrainingEpochs = 10;

    public static BenchSettings Full(int threads, string dataDir) => new()
    {
        Threads = threads, DataDir = dataDir,
        GemmRepeats = 7, AllGemmShapes = true,
        // 10 epochs × 20 steps = 200 MNIST steps; epoch 1 is the warm-up, epochs 2–10 are timed and
        // also give the memory figures for epochs 2 and 10. Pokémon: 10 whole epochs (5 steps each).
        MnistEpochs = TargetTrainingEpochs, MnistStepsPerEpoch = 20,
        PokemonEpochs = TargetTrainingEpochs, PokemonStepsPerEpoch = 0,
        MnistValidationImages = 512,
        PostEpochs = 7, PostMnistSteps = 10,
        InferenceRepeats = 5, InferenceBatch = 256, BatchesPerRepeat = 2, SingleImagesPerRepeat = 256,
        ScoreFiles = 1024, ScoreRepeats = 3, ScoreMemoryFiles = TargetScoreMemoryFiles,
    };

    public static BenchSettings QuickRun(int threads, string dataDir) => new()
    {
        Quick = true, Threads = threads, DataDir = dataDir,
        GemmRepeats = 1, AllGemmShapes = false,
        MnistEpochs = 3, MnistStepsPerEpoch = 1,
        PokemonEpochs = 2, PokemonStepsPerEpoch = 1,
        MnistValidationImages = 256,
        PostEpochs = 2, PostMnistSteps = 1,
        InferenceRepeats = 1, InferenceBatch = 64, BatchesPerRepeat = 1, SingleImagesPerRepeat = 32,
        ScoreFiles = 64, ScoreRepeats = 1, ScoreMemoryFiles = 300,
    };
}
